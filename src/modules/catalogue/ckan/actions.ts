import { datastoreActions } from './datastore-actions.js';
import { validationError } from './errors.js';
import { readActions } from './read-actions.js';
import type { CkanAction } from './types.js';
import { writeActions } from './write-actions.js';

/** A CKAN action as the API serves it. */
export interface CkanActionEntry {
  run: CkanAction;
  /** May be called with GET (CKAN's `side_effect_free`); every other action needs POST. */
  sideEffectFree: boolean;
  /** What `help_show` answers, and the OpenAPI description lists. */
  help: string;
}

const help: Record<string, string> = {
  package_search:
    'Search datasets. q (text, and field:value words), fq (field:value clauses on organization, owner_org, groups, tags, res_format, license_id, access_level, name, dataset_type), fq_list, rows (default 10, at most 1000), start, sort ("score desc, metadata_modified desc", "metadata_modified desc", "title_string asc", "name asc", "views_recent desc"), facet.field (JSON list), facet.limit (default 50, negative for all), include_private (drafts you may see). Returns count, results, facets, search_facets.',
  package_show: 'A dataset by id or name (id). Resources of datasets that are not open are listed only for their organization.',
  package_list: 'Names of published datasets (limit, offset).',
  organization_list: 'Organization names, or dicts with all_fields (limit: 1000 names, 25 dicts), sort ("title asc", "name asc", "package_count desc"), organizations, limit, offset.',
  organization_show: 'An organization by id or name (id), with package_count; include_datasets adds its published datasets.',
  group_list: 'Group names, or dicts with all_fields; sort, groups, limit, offset as organization_list.',
  tag_list: 'Keywords of published datasets (English); query filters them; all_fields gives dicts.',
  resource_show: 'A resource by id.',
  status_show: 'The site and the CKAN API version this adapter follows.',
  help_show: 'The help text of an action (name).',
  package_create:
    'Create a dataset (API token with catalogue:write, editor of owner_org). Fluent fields (title_translated, notes_translated, keywords) or plain ones (English). Published unless private is true or state is "draft"; publishing needs both languages and a licence.',
  package_update: 'Replace a dataset (id or name); resources are replaced when given. private/state move it between draft and published, or delete it.',
  package_patch: 'Change the fields given of a dataset (id).',
  package_delete: 'Delete a dataset (id).',
  resource_create: 'Add a resource to package_id: a link (url), or an upload (multipart form with the file in "upload").',
  resource_update: 'Replace a resource (id); a new file (multipart "upload") or url replaces its data.',
  resource_patch: 'Change the fields given of a resource (id).',
  resource_delete: 'Delete a resource (id).',
};

const entries: Record<string, CkanActionEntry> = {};
for (const [name, run] of Object.entries(readActions)) entries[name] = { run, sideEffectFree: true, help: help[name] ?? '' };
for (const [name, run] of Object.entries(writeActions)) entries[name] = { run, sideEffectFree: false, help: help[name] ?? '' };
for (const [name, run] of Object.entries(datastoreActions)) {
  // The datastore's search actions read only; any other datastore action needs POST.
  entries[name] = { run, sideEffectFree: /^datastore_(search|search_sql|info)$/.test(name), help: 'A datastore action: see the datastore section of the catalogue documentation.' };
}
entries['help_show'] = {
  sideEffectFree: true,
  help: help['help_show']!,
  run: async ({ params }) => {
    const name = typeof params['name'] === 'string' ? params['name'] : '';
    const entry = entries[name];
    if (!entry) throw validationError({ name: ['Action name not known'] });
    return entry.help;
  },
};

/** Every CKAN action served, by name. */
export const ckanActions: Readonly<Record<string, CkanActionEntry>> = entries;
