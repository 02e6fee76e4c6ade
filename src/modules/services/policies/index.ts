import { definePermission, hasRole } from '../../../kernel/auth/policy.js';

/** What a permission needs to know about a service. */
export interface ServiceRef {
  organizationId: string;
}

/**
 * Who may do what with services. The inventory, the KPIs, "you said, we did" and assessments are
 * public; the owning organization's editors run the service (events, counts, costs, standards,
 * feedback inbox, funnel), its administrators also record Digital Service Standard assessments.
 * Feedback comes from anyone.
 */
export const servicesPermissions = {
  createService: definePermission<ServiceRef>('services.service.create', 'services:write', (actor, s) => hasRole(actor, s.organizationId, 'editor')),
  editService: definePermission<ServiceRef>('services.service.update', 'services:write', (actor, s) => hasRole(actor, s.organizationId, 'editor')),
  sendEvents: definePermission<ServiceRef>('services.events.create', 'services:events', (actor, s) => hasRole(actor, s.organizationId, 'editor')),
  reportFigures: definePermission<ServiceRef>('services.figures.update', 'services:write', (actor, s) => hasRole(actor, s.organizationId, 'editor')),
  readFeedback: definePermission<ServiceRef>('services.feedback.read', 'services:read', (actor, s) => hasRole(actor, s.organizationId, 'viewer')),
  triageFeedback: definePermission<ServiceRef>('services.feedback.triage', 'services:write', (actor, s) => hasRole(actor, s.organizationId, 'editor')),
  viewFunnel: definePermission<ServiceRef>('services.funnel.read', 'services:read', (actor, s) => hasRole(actor, s.organizationId, 'viewer')),
  assess: definePermission<ServiceRef>('services.assessment.create', 'services:write', (actor, s) => hasRole(actor, s.organizationId, 'admin')),
  giveFeedback: definePermission('services.feedback.create', 'services:write', () => true),
  manageStandardPoints: definePermission('services.standard_points.manage', 'platform:admin', (actor) => actor.superadmin),
  readPageFeedback: definePermission('services.page_feedback.read', 'platform:admin', (actor) => actor.superadmin),
  managePublishing: definePermission('services.open_data.manage', 'platform:admin', (actor) => actor.superadmin),
};
