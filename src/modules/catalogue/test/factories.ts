import { randomBytes } from 'node:crypto';
import type { App } from '../../../app.js';
import { system } from '../../../kernel/auth/actor.js';
import type { CatalogueDeps } from '../actions/datasets.js';
import { createDataset, publishDataset } from '../actions/datasets.js';
import { addResource } from '../actions/resources.js';
import type { Dataset } from '../types.js';

const ctx = { actor: system, requestId: 'test' };

export function catalogueDeps(app: App): CatalogueDeps {
  return (app.apis.get('catalogue') as { deps: CatalogueDeps }).deps;
}

/** A dataset, published unless asked otherwise, with bilingual metadata and one link resource. */
export async function makeDataset(
  app: App,
  organizationId: string,
  overrides: Record<string, unknown> & { publish?: boolean; link?: boolean } = {},
): Promise<Dataset> {
  const { publish = true, link = true, ...fields } = overrides;
  const deps = catalogueDeps(app);
  const name = (fields['name'] as string | undefined) ?? `dataset-${randomBytes(4).toString('hex')}`;
  const dataset = await createDataset(deps, ctx, {
    name,
    organizationId,
    titleEn: `Road collisions ${name}`,
    titleFr: `Collisions routières ${name}`,
    descriptionEn: 'Collisions on provincial highways, by month.',
    descriptionFr: 'Collisions sur les autoroutes provinciales, par mois.',
    keywordsEn: 'roads, safety',
    keywordsFr: 'routes, sécurité',
    licenceId: 'ogl-ontario-1.0',
    accessLevel: 'open',
    ...fields,
  });
  if (link) await addResource(deps, ctx, dataset.id, { kind: 'link', nameEn: 'Collisions (CSV)', nameFr: 'Collisions (CSV)', url: 'https://data.example.ca/collisions.csv' });
  return publish ? publishDataset(deps, ctx, dataset.id) : dataset;
}
