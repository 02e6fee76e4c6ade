/** The services module's audit catalogue: every action name it records. */
export const servicesEvents = {
  serviceCreated: 'services.service.created',
  serviceUpdated: 'services.service.updated',
  inventoryImported: 'services.inventory.imported',
  eventsReceived: 'services.events.received',
  countsReported: 'services.counts.reported',
  costsEntered: 'services.costs.entered',
  standardCreated: 'services.standard.created',
  standardResultReported: 'services.standard.result_reported',
  feedbackTagged: 'services.feedback.tagged',
  feedbackActioned: 'services.feedback.actioned',
  improvementPublished: 'services.improvement.published',
  assessmentRecorded: 'services.assessment.recorded',
  standardPointSaved: 'services.standard_point.saved',
  openDataPublished: 'services.open_data.published',
} as const;
