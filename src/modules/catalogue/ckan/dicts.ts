import type { Bilingual } from '../../../kernel/i18n/index.js';
import type { Organization } from '../../identity/index.js';
import type { DatasetDetail } from '../actions/datasets.js';
import type { Dataset, Group, Resource } from '../types.js';

/**
 * Trillium's datasets, resources, organizations and groups as CKAN dicts. Bilingual fields follow
 * ckanext-fluent (`title_translated: {en, fr}`) beside CKAN's plain field, which holds the English
 * text (French when there is no English).
 */

type Dict = Record<string, unknown>;

/** CKAN writes times as ISO 8601 in UTC without a zone ("2017-05-18T16:33:31.999044"). */
export function ckanTime(date: Date | string | null | undefined): string | null {
  if (!date) return null;
  return new Date(date).toISOString().replace(/Z$/, '');
}

/** The plain (English, else French) text of a bilingual value. */
export function plain(value: Bilingual | undefined): string {
  return value?.en || value?.fr || '';
}

/** Both languages, always with both keys (fluent clients expect them). */
export function translated(value: Bilingual | undefined): { en: string; fr: string } {
  return { en: value?.en ?? '', fr: value?.fr ?? '' };
}

/** CKAN's dataset states: published is "active". */
export function ckanState(state: Dataset['state']): 'active' | 'draft' | 'deleted' {
  return state === 'published' ? 'active' : state;
}

/** Where an uploaded file is downloaded (the page route that counts downloads). */
export function downloadUrl(publicUrl: string, datasetName: string, resourceId: string): string {
  return `${publicUrl}/en/datasets/${encodeURIComponent(datasetName)}/resources/${resourceId}/download`;
}

export function resourceDict(resource: Resource, dataset: Pick<Dataset, 'id' | 'name'>, publicUrl: string): Dict {
  const upload = resource.kind === 'upload';
  return {
    id: resource.id,
    package_id: dataset.id,
    name: plain(resource.name),
    name_translated: translated(resource.name),
    description: plain(resource.description),
    description_translated: translated(resource.description),
    format: resource.format,
    url: upload ? downloadUrl(publicUrl, dataset.name, resource.id) : (resource.url ?? ''),
    url_type: upload ? 'upload' : null,
    mimetype: resource.mediaType,
    size: resource.size,
    hash: resource.sha256 ? `sha256:${resource.sha256}` : '',
    datastore_active: resource.datastoreTable !== null,
    state: 'active',
    position: resource.position,
    created: ckanTime(resource.createdAt),
    last_modified: ckanTime(resource.modifiedAt),
    metadata_modified: ckanTime(resource.modifiedAt),
    resource_type: null,
    standard_id: resource.standardId,
  };
}

/** The organization dict inside a package (from the dataset's snapshot: no lookup needed). */
function packageOrganization(dataset: Dataset): Dict {
  return {
    id: dataset.organizationId,
    name: dataset.organization.slug,
    title: plain(dataset.organization.name),
    title_translated: translated(dataset.organization.name),
    type: 'organization',
    is_organization: true,
    state: 'active',
    approval_status: 'approved',
    description: '',
    image_url: '',
  };
}

export function groupDict(group: Group, packageCount?: number): Dict {
  return {
    id: group.id,
    name: group.name,
    title: plain(group.title),
    title_translated: translated(group.title),
    display_name: plain(group.title) || group.name,
    description: plain(group.description),
    description_translated: translated(group.description),
    type: 'group',
    is_organization: false,
    state: 'active',
    approval_status: 'approved',
    image_url: '',
    image_display_url: '',
    ...(packageCount !== undefined ? { package_count: packageCount } : {}),
  };
}

export function organizationDict(organization: Organization, packageCount?: number): Dict {
  return {
    id: organization.id,
    name: organization.slug,
    title: plain(organization.name),
    title_translated: translated(organization.name),
    display_name: plain(organization.name) || organization.slug,
    shortform: translated(organization.acronym),
    description: '',
    type: 'organization',
    is_organization: true,
    state: 'active',
    approval_status: 'approved',
    image_url: '',
    image_display_url: '',
    created: ckanTime(organization.createdAt),
    ...(packageCount !== undefined ? { package_count: packageCount } : {}),
  };
}

/**
 * A package dict. Drafts are CKAN's private datasets (`private: true`, state "draft"); resources
 * the caller may not see (datasets that are not open, outside their organization) are left out.
 */
export function packageDict(detail: DatasetDetail, publicUrl: string): Dict {
  const d = detail.dataset;
  const keywords = d.keywords.en.length ? d.keywords.en : d.keywords.fr;
  const resources = (detail.resources ?? []).map((r) => resourceDict(r, d, publicUrl));
  const tags = keywords.map((name) => ({ name, display_name: name, state: 'active', vocabulary_id: null }));
  return {
    id: d.id,
    name: d.name,
    title: plain(d.title),
    title_translated: translated(d.title),
    notes: plain(d.description),
    notes_translated: translated(d.description),
    type: 'dataset',
    state: ckanState(d.state),
    private: d.state === 'draft',
    owner_org: d.organizationId,
    organization: packageOrganization(d),
    license_id: d.licenceId ?? '',
    license_title: detail.licence ? plain(detail.licence.title) : '',
    license_url: detail.licence ? plain(detail.licence.url) : '',
    isopen: !!detail.licence?.open && d.accessLevel === 'open',
    maintainer: d.contact.name ?? null,
    maintainer_email: d.contact.email ?? null,
    author: null,
    author_email: null,
    url: `${publicUrl}/en/datasets/${encodeURIComponent(d.name)}`,
    version: null,
    metadata_created: ckanTime(d.createdAt),
    metadata_modified: ckanTime(d.modifiedAt),
    tags,
    num_tags: tags.length,
    keywords: { en: d.keywords.en, fr: d.keywords.fr },
    groups: detail.groups.map((g) => groupDict(g)),
    resources,
    num_resources: resources.length,
    extras: [],
    // Trillium's own fields
    access_level: d.accessLevel,
    exemption_reason_translated: translated(d.exemptionReason),
    update_frequency: d.updateFrequency,
    temporal_start: d.temporalStart,
    temporal_end: d.temporalEnd,
    spatial_translated: translated(d.spatial),
    quality_score: d.quality?.score ?? null,
    revision: d.version,
  };
}
