import fs from 'node:fs';
import type { App } from '../../../src/app.js';
import { system } from '../../../src/kernel/auth/actor.js';
import { createGroup } from '../../../src/modules/catalogue/actions/groups.js';
import { createHarvestSource } from '../../../src/modules/catalogue/actions/harvest.js';
import { createDatasetRequest } from '../../../src/modules/catalogue/actions/requests.js';
import { addResource } from '../../../src/modules/catalogue/actions/resources.js';
import { registerStandard } from '../../../src/modules/catalogue/actions/standards.js';
import {
  ontarioDir,
  runJobs,
  uploadResource,
} from '../../../src/modules/catalogue/test/datastore-support.js';
import { catalogueDeps, makeDataset } from '../../../src/modules/catalogue/test/factories.js';

/** The catalogue's content for the pages: names and ids to put in their addresses. */
export interface CatalogueFixture {
  /** A published dataset with a link resource and an uploaded CSV loaded into the datastore. */
  dataset: string;
  linkResourceId: string;
  csvResourceId: string;
  /** A draft dataset of the same organization. */
  draft: string;
  group: string;
  requestId: string;
  standard: { name: string; version: string };
  /** A CKAN harvest source, never run. */
  harvestSource: string;
}

const ctx = { actor: system, requestId: 'browser-fixture' };

/**
 * The first records (about 40 lines) of a real Ontario CSV, cut where a record ends: some quoted
 * fields span lines, so the cut waits until the quotes are balanced.
 */
export function sampleCsv(lines = 40): string {
  const all = fs
    .readFileSync(new URL('assessment_centre_locations_2021_07_13.csv', ontarioDir), 'utf8')
    .split('\n');
  let quotes = 0;
  let end = 0;
  while (end < all.length && (end < lines || quotes % 2 === 1))
    quotes += (all[end++]!.match(/"/g) ?? []).length;
  return `${all.slice(0, end).join('\n')}\n`;
}

/** Seeds the catalogue of `organizationId` through the module's actions, and runs the load jobs. */
export async function seedCatalogue(app: App, organizationId: string): Promise<CatalogueFixture> {
  const deps = catalogueDeps(app);
  const group = await createGroup(deps, ctx, {
    name: 'health',
    titleEn: 'Health',
    titleFr: 'Santé',
    descriptionEn: 'Hospitals, clinics and public health.',
    descriptionFr: 'Hôpitaux, cliniques et santé publique.',
  });
  const standard = await registerStandard(deps, ctx, {
    organizationId,
    name: 'assessment-centres',
    version: '1.0',
    titleEn: 'Assessment centres',
    titleFr: 'Centres d’évaluation',
    descriptionEn: 'Where to get tested, with opening hours.',
    descriptionFr: 'Où se faire tester, avec les heures d’ouverture.',
    schema: {
      fields: [
        { name: 'location_id', type: 'integer', title: 'Location', constraints: { required: true } },
        { name: 'location_name', type: 'string', title: 'Name' },
        { name: 'city', type: 'string', title: 'City' },
      ],
      primaryKey: 'location_id',
    },
  });
  const dataset = await makeDataset(app, organizationId, {
    name: 'covid-assessment-centres',
    titleEn: 'COVID-19 assessment centres',
    titleFr: 'Centres d’évaluation de la COVID-19',
    descriptionEn: 'Locations and opening hours of assessment centres in Ontario.',
    descriptionFr: 'Emplacements et heures d’ouverture des centres d’évaluation en Ontario.',
    keywordsEn: 'health, testing',
    keywordsFr: 'santé, dépistage',
    groups: [group.name],
    link: false,
  });
  const link = await addResource(deps, ctx, dataset.id, {
    kind: 'link',
    nameEn: 'Assessment centres (map)',
    nameFr: 'Centres d’évaluation (carte)',
    url: 'https://data.example.ca/assessment-centres.csv',
    standardId: standard.id,
  });
  const csv = await uploadResource(app, dataset.id, 'assessment_centre_locations.csv', sampleCsv());
  // A draft not ready to publish: its French text is missing (the French pages show the English).
  const draft = await makeDataset(app, organizationId, {
    name: 'road-collisions-draft',
    publish: false,
    titleFr: '',
    descriptionFr: '',
    keywordsFr: '',
  });
  const request = await createDatasetRequest(deps, ctx, {
    title: 'Wait times at assessment centres',
    description: 'Average wait, by centre and by day, so people can choose when to go.',
    locale: 'en',
    organizationId,
  });
  const source = await createHarvestSource(deps, ctx, {
    name: 'federal-ckan',
    titleEn: 'Federal open data',
    titleFr: 'Données ouvertes fédérales',
    kind: 'ckan',
    url: 'https://ckan.example.test',
    organizationId,
  });
  await runJobs(app);
  return {
    dataset: dataset.name,
    linkResourceId: link.id,
    csvResourceId: csv.id,
    draft: draft.name,
    group: group.name,
    requestId: request.id,
    standard: { name: standard.name, version: standard.version },
    harvestSource: source.name,
  };
}
