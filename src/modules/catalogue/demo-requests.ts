import { system } from '../../kernel/auth/actor.js';
import type { CatalogueDeps } from './actions/datasets.js';
import { publishUsageMetrics } from './actions/metrics.js';
import { answerDatasetRequest, createDatasetRequest } from './actions/requests.js';
import { registerStandard } from './actions/standards.js';
import { findDataset } from './data/datasets.js';
import { versionsOf } from './data/standards.js';

const ctx = { actor: system, requestId: 'demo-seed' };

/**
 * Demo of dataset requests (in both languages, with each status), a data standard in two
 * versions, and the catalogue's usage figures published as open data. Skips what exists.
 */
export async function seedRequestsDemo(deps: CatalogueDeps): Promise<string[]> {
  const db = deps.kernel.database.db;
  if ((await versionsOf(db, 'service-wait-times')).length) return [];
  const [organization] = await deps.identity.listOrganizations();
  if (!organization) return [];

  const schema = {
    fields: [
      { name: 'office', type: 'string', title: 'Service office', constraints: { required: true } },
      { name: 'month', type: 'yearmonth', title: 'Month' },
      { name: 'visits', type: 'integer', title: 'Visits', constraints: { minimum: 0 } },
      { name: 'median_wait_minutes', type: 'number', title: 'Median wait (minutes)' },
    ],
    primaryKey: ['office', 'month'],
    missingValues: ['', 'NA'],
  };
  const standard = {
    organizationId: organization.id,
    name: 'service-wait-times',
    titleEn: 'Service counter wait times',
    titleFr: 'Temps d’attente aux comptoirs de service',
    descriptionEn: 'Visits and median wait per office and month, so offices can be compared.',
    descriptionFr: 'Visites et attente médiane par bureau et par mois, pour comparer les bureaux.',
  };
  await registerStandard(deps, ctx, { ...standard, version: '1.0', schema: { ...schema, fields: schema.fields.slice(0, 3) } });
  await registerStandard(deps, ctx, { ...standard, version: '1.1', schema });

  const asked = [
    { title: 'Wait times at service counters', description: 'Monthly wait times at each service office, to plan visits.', locale: 'en' },
    { title: 'Qualité de l’eau des plages', description: 'Résultats des échantillons d’eau de chaque plage surveillée, chaque semaine de l’été.', locale: 'fr' },
    { title: 'Snow clearing routes', description: 'Which roads are cleared first after a storm, as a map layer.', locale: 'en' },
    { title: 'Salaires des employés', description: 'Le salaire de chaque employé, par nom.', locale: 'fr' },
  ];
  const created = [];
  for (const r of asked) created.push(await createDatasetRequest(deps, ctx, { ...r, organizationId: organization.id }));
  await answerDatasetRequest(deps, ctx, created[0]!.id, { status: 'planned', noteEn: 'Expected next spring.', noteFr: 'Prévu au printemps prochain.' });
  const covid = await findDataset(db, 'covid-19-assessment-centre-locations');
  if (covid?.state === 'published') await answerDatasetRequest(deps, ctx, created[2]!.id, { status: 'published', dataset: covid.name });
  await answerDatasetRequest(deps, ctx, created[3]!.id, {
    status: 'declined',
    noteEn: 'Salaries by name are personal information. Salaries over $100,000 are published in the public sector salary disclosure.',
    noteFr: 'Les salaires par nom sont des renseignements personnels. Les salaires de plus de 100 000 $ sont publiés dans la divulgation des traitements du secteur public.',
  });

  const usage = await publishUsageMetrics(deps, ctx);
  return [`Catalogue demo: 4 dataset requests, a data standard in 2 versions${usage.published ? ', and the usage figures as open data' : ''}.`];
}
