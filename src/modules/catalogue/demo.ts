import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { system } from '../../kernel/auth/actor.js';
import type { Bilingual } from '../../kernel/i18n/index.js';
import type { Kernel } from '../../kernel/module.js';
import { createDataset, publishDataset, type CatalogueDeps } from './actions/datasets.js';
import { createGroup } from './actions/groups.js';
import { addResource } from './actions/resources.js';
import { findDataset } from './data/datasets.js';
import { findGroup, upsertLicence } from './data/reference.js';

const ctx = { actor: system, requestId: 'demo-seed' };

/** Real public data kept with the code (demo/data, with its attributions). */
export const demoDataDirectory = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../demo/data');

interface CkanOrganization {
  id: string;
  name: string;
  title_translated: { en: string; fr: string };
  shortform?: { en?: string; fr?: string };
}

const groups = [
  { name: 'transportation', titleEn: 'Transportation', titleFr: 'Transport', descriptionEn: 'Roads, transit, travel and vehicles.', descriptionFr: 'Routes, transport en commun, déplacements et véhicules.' },
  { name: 'health', titleEn: 'Health', titleFr: 'Santé', descriptionEn: 'Health care, public health and wellness.', descriptionFr: 'Soins de santé, santé publique et bien-être.' },
  { name: 'government', titleEn: 'Government and services', titleFr: 'Gouvernement et services', descriptionEn: 'How government works and the services it offers.', descriptionFr: 'Le fonctionnement du gouvernement et les services qu’il offre.' },
  { name: 'economy', titleEn: 'Economy and business', titleFr: 'Économie et entreprises', descriptionEn: 'Spending, industry, jobs and trade.', descriptionFr: 'Dépenses, industrie, emplois et commerce.' },
  { name: 'science', titleEn: 'Science and technology', titleFr: 'Sciences et technologie', descriptionEn: 'Research, innovation and statistics.', descriptionFr: 'Recherche, innovation et statistiques.' },
];

/** Some program names in the inventory are wrapped in quotes ('…' or "…"); the apostrophes inside are kept. */
function unquoted(value: string | undefined): string {
  return (value ?? '').trim().replace(/^['"“”]+|['"“”]+$/g, '');
}

function readJsonl<T>(file: string): T[] {
  return fs
    .readFileSync(path.join(demoDataDirectory, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

/**
 * Demo catalogue built from real public data (demo/data/README.md lists sources and licences):
 * the Government of Canada's organizations and licence list, real open.canada.ca dataset records,
 * Ontario's COVID-19 assessment centre locations as an uploaded CSV, and 400 inventory datasets
 * derived from the Government of Canada Service Inventory, so search has something to find.
 */
export async function seedCatalogueDemo(deps: CatalogueDeps, kernel: Kernel): Promise<string[]> {
  const db = kernel.database.db;
  if (await findDataset(db, 'covid-19-assessment-centre-locations')) return [];
  if (!fs.existsSync(demoDataDirectory)) return [`Catalogue demo skipped: ${demoDataDirectory} is missing.`];

  const licences = JSON.parse(fs.readFileSync(path.join(demoDataDirectory, 'licenses.json'), 'utf8')) as Array<{
    id: string;
    title: string;
    title_fra: string;
    url: string;
    url_fra: string;
    od_conformance?: boolean | string;
    is_okd_compliant?: boolean;
  }>;
  for (const [position, l] of licences.entries()) {
    await upsertLicence(db, { id: l.id, title: { en: l.title, fr: l.title_fra }, url: { en: l.url, fr: l.url_fra }, open: l.id.includes('ogl') || l.id.startsWith('cc-') || l.is_okd_compliant === true, position: 10 + position });
  }
  for (const g of groups) if (!(await findGroup(db, g.name))) await createGroup(deps, ctx, g);

  // Organizations: the Government of Canada's list, plus the demo Ontario ministries from identity.
  const organizations = readJsonl<CkanOrganization>('transitional_orgs.jsonl');
  const orgIds = new Map<string, string>();
  for (const o of organizations) {
    const acronym: Bilingual = { ...(o.shortform?.en ? { en: o.shortform.en } : {}), ...(o.shortform?.fr ? { fr: o.shortform.fr } : {}) };
    const created = await deps.identity.ensureOrganization(ctx, { slug: o.name, name: o.title_translated, acronym, kind: 'agency' });
    orgIds.set(o.id, created.id);
    orgIds.set(o.name, created.id);
  }
  const health = await deps.identity.getOrganization('health');

  // Real open.canada.ca records (Statistics Canada).
  for (const record of readJsonl<Record<string, unknown>>('obd_sample_2.jsonl')) {
    const title = record['title_translated'] as { en: string; fr: string };
    const notes = record['notes_translated'] as { en: string; fr: string };
    const keywords = record['keywords'] as { en: string[]; fr: string[] };
    const organizationId = orgIds.get(String(record['owner_org'])) ?? orgIds.get('statcan');
    if (!organizationId || (await findDataset(db, String(record['name'])))) continue;
    const dataset = await createDataset(deps, ctx, {
      name: String(record['name']),
      organizationId,
      titleEn: title.en,
      titleFr: title.fr,
      descriptionEn: notes.en,
      descriptionFr: notes.fr,
      keywordsEn: keywords.en.join(', '),
      keywordsFr: keywords.fr.join(', '),
      licenceId: String(record['license_id']),
      accessLevel: 'open',
      groups: ['science'],
    });
    for (const r of (record['resources'] as Array<Record<string, unknown>>) ?? []) {
      const name = (r['name_translated'] as { en: string; fr: string } | undefined) ?? { en: String(r['name']), fr: String(r['name']) };
      await addResource(deps, ctx, dataset.id, { kind: 'link', nameEn: name.en, nameFr: name.fr, url: String(r['url']), format: String(r['format'] ?? '') });
    }
    await publishDataset(deps, ctx, dataset.id);
  }

  // Ontario's COVID-19 assessment centre locations, uploaded as a real CSV.
  if (health) {
    const dataset = await createDataset(deps, ctx, {
      name: 'covid-19-assessment-centre-locations',
      organizationId: health.id,
      titleEn: 'COVID-19 assessment centre locations',
      titleFr: 'Emplacements des centres d’évaluation de la COVID-19',
      descriptionEn:
        'Locations of COVID-19 assessment centres in Ontario, with hours, services and accessibility. Snapshot of 13 July 2021. Data: WeCount project (wecount.inclusivedesign.ca), CC BY 4.0. Contains information licensed under the Open Government Licence – Ontario.',
      descriptionFr:
        'Emplacements des centres d’évaluation de la COVID-19 en Ontario, avec les heures, les services et l’accessibilité. Instantané du 13 juillet 2021. Données : projet WeCount (wecount.inclusivedesign.ca), CC BY 4.0. Contient des renseignements utilisés sous la Licence du gouvernement ouvert – Ontario.',
      keywordsEn: 'COVID-19, testing, health care',
      keywordsFr: 'COVID-19, dépistage, soins de santé',
      licenceId: 'cc-by-4.0',
      accessLevel: 'open',
      updateFrequency: 'daily',
      temporalStart: '2021-07-13',
      temporalEnd: '2021-07-13',
      spatialEn: 'Ontario',
      spatialFr: 'Ontario',
      groups: ['health'],
      contactName: 'WeCount project',
    });
    const file = path.join(demoDataDirectory, 'assessment_centre_locations_2021_07_13.csv');
    const stored = await kernel.files.save(fs.createReadStream(file), { field: 'file', declaredType: 'text/csv', allowedTypes: ['text/csv'], maxBytes: kernel.config.uploadMaxBytes });
    await addResource(
      deps,
      ctx,
      dataset.id,
      { kind: 'upload', nameEn: 'Assessment centre locations (13 July 2021)', nameFr: 'Emplacements des centres d’évaluation (13 juillet 2021)' },
      { ...stored, fileName: 'assessment_centre_locations_2021_07_13.csv' },
    );
    await publishDataset(deps, ctx, dataset.id);
  }

  // Inventory datasets derived from real services, so that search and facets have substance.
  const services = parse(fs.readFileSync(path.join(demoDataDirectory, 'service-inventory-sample.csv')), { columns: true }) as Array<Record<string, string>>;
  const groupOf = (type: string) => (type === 'RES' || type === 'SCIENCE' ? 'science' : type === 'PERMIT' || type === 'BENEFIT' ? 'economy' : 'government');
  for (const s of services) {
    const organizationId = orgIds.get(s['owner_org'] ?? '');
    if (!organizationId) continue;
    const dataset = await createDataset(deps, ctx, {
      name: `service-${(s['service_id'] ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-')}-applications`,
      organizationId,
      titleEn: `Applications received: ${s['service_name_en']}`,
      titleFr: `Demandes reçues : ${s['service_name_fr']}`,
      descriptionEn: `${s['service_description_en']}\n\nDemonstration record derived from the Government of Canada Service Inventory 2023-24. Contains information licensed under the Open Government Licence – Canada.`,
      descriptionFr: `${s['service_description_fr']}\n\nDonnées de démonstration tirées du Répertoire des services du gouvernement du Canada 2023-2024. Contient des renseignements visés par la Licence du gouvernement ouvert – Canada.`,
      keywordsEn: [unquoted(s['program_name_en']), 'service inventory'].filter(Boolean).join(', '),
      keywordsFr: [unquoted(s['program_name_fr']), 'répertoire des services'].filter(Boolean).join(', '),
      licenceId: 'ca-ogl-lgo',
      accessLevel: 'open',
      updateFrequency: 'annual',
      temporalStart: '2023-04-01',
      temporalEnd: '2024-03-31',
      groups: [groupOf(s['service_type'] ?? '')],
    });
    await addResource(deps, ctx, dataset.id, {
      kind: 'link',
      nameEn: 'Government of Canada Service Inventory (source)',
      nameFr: 'Répertoire des services du gouvernement du Canada (source)',
      url: 'https://open.canada.ca/data/en/dataset/3ac0d080-6149-499a-8b06-7ce5f00ec56c',
      format: 'HTML',
    });
    await publishDataset(deps, ctx, dataset.id);
  }
  return [`Catalogue demo: ${organizations.length} organizations, ${services.length + 5} datasets from real public data (see demo/data/README.md).`];
}
