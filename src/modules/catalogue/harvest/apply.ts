import { canonicalJson, type ActionContext } from '../../../kernel/audit/index.js';
import { DomainError, InputError } from '../../../kernel/errors/index.js';
import type { Bilingual } from '../../../kernel/i18n/index.js';
import { createDataset, editDataset, publicationProblems, publishDataset, splitKeywords, type CatalogueDeps } from '../actions/datasets.js';
import { addResource, editResource, formatOf, removeResource } from '../actions/resources.js';
import { findBySource, findDataset, type DatasetRow } from '../data/datasets.js';
import { resourcesOf, type ResourceRow } from '../data/resources.js';
import { datasetInput } from '../inputs/dataset.input.js';
import { resourceInput } from '../inputs/resource.input.js';
import type { Licence } from '../types.js';
import { linkDataset } from './link.js';
import type { HarvestRecord, HarvestResource } from './record.js';
import { nameFor } from './record.js';
import type { HarvestItem, HarvestReason, HarvestSource } from './types.js';

/**
 * What a harvest needs to know while it applies records: the source, the licences Trillium offers,
 * and the organizations already ensured during this run.
 */
export interface HarvestContext {
  deps: CatalogueDeps;
  ctx: ActionContext;
  source: HarvestSource;
  licences: Licence[];
  organizations: Map<string, string>;
}

const reason = (key: string, params?: Record<string, string | number>, fields?: string[]): HarvestReason => ({
  key,
  ...(params ? { params } : {}),
  ...(fields?.length ? { fields } : {}),
});

const comparableUrl = (url: string) => url.trim().toLowerCase().replace(/^https?:\/\/(www\.)?/, '').replace(/\/+$/, '');

/** Trillium's licence for a record: the same id, or the same address. */
function licenceFor(h: HarvestContext, record: HarvestRecord): { id: string | null; unknown?: string } {
  const wanted = record.licence;
  if (!wanted?.id && !wanted?.url) return { id: null };
  const byId = wanted.id ? h.licences.find((l) => l.id === wanted.id) : undefined;
  if (byId) return { id: byId.id };
  const url = wanted.url ? comparableUrl(wanted.url) : null;
  const byUrl = url ? h.licences.find((l) => [l.url.en, l.url.fr].some((u) => u && comparableUrl(u) === url)) : undefined;
  if (byUrl) return { id: byUrl.id };
  return { id: null, unknown: wanted.id ?? wanted.url! };
}

/** The organization that owns a record's dataset: the one it names (created if new), or the source's. */
async function organizationFor(h: HarvestContext, record: HarvestRecord): Promise<string> {
  const named = record.organization;
  if (!named) return h.source.organizationId;
  const known = h.organizations.get(named.slug);
  if (known) return known;
  const organization = await h.deps.identity.ensureOrganization(h.ctx, { slug: named.slug, name: named.name, kind: 'other' });
  h.organizations.set(named.slug, organization.id);
  return organization.id;
}

/** Keywords as the form takes them, within the form's length limit. */
function keywordText(words: string[]): string {
  let text = '';
  for (const word of words) {
    const next = text ? `${text}, ${word}` : word;
    if (next.length > 2000) break;
    text = next;
  }
  return text;
}

/** The dataset form a record fills in (the same form people and the API use). */
function formFor(h: HarvestContext, record: HarvestRecord, organizationId: string, licenceId: string | null): Record<string, unknown> {
  const { messages } = h.deps.kernel;
  const endBeforeStart = record.temporalStart && record.temporalEnd && record.temporalEnd < record.temporalStart;
  const form: Record<string, unknown> = {
    organizationId,
    titleEn: record.title.en,
    titleFr: record.title.fr,
    descriptionEn: record.description.en,
    descriptionFr: record.description.fr,
    keywordsEn: keywordText(record.keywords.en),
    keywordsFr: keywordText(record.keywords.fr),
    licenceId: licenceId ?? undefined,
    accessLevel: record.accessLevel,
    contactName: record.contact.name,
    contactEmail: record.contact.email,
    updateFrequency: record.updateFrequency ?? undefined,
    temporalStart: record.temporalStart,
    temporalEnd: endBeforeStart ? undefined : record.temporalEnd,
    spatialEn: record.spatial.en,
    spatialFr: record.spatial.fr,
  };
  if (record.accessLevel !== 'open') {
    // The source restricts the data: its reason, or else that the source limits it, in both languages.
    const own = record.exemptionReason?.en && record.exemptionReason.fr ? record.exemptionReason : null;
    form['exemptionReasonEn'] = own?.en ?? messages.forLocale('en')('catalogue.harvest.exemption', { source: h.source.title.en ?? h.source.name });
    form['exemptionReasonFr'] = own?.fr ?? messages.forLocale('fr')('catalogue.harvest.exemption', { source: h.source.title.fr ?? h.source.name });
  }
  return Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined && v !== ''));
}

/**
 * The form for a dataset harvested before: what the source says, and for what it leaves empty,
 * what is already here. So French text (or a licence) added here to a record that came without
 * it survives the next harvest, and the dataset can be published here and stay so.
 */
function completedForm(form: Record<string, unknown>, row: DatasetRow): { form: Record<string, unknown>; kept: string[] } {
  const here: Record<string, unknown> = {
    titleEn: row.title.en,
    titleFr: row.title.fr,
    descriptionEn: row.description.en,
    descriptionFr: row.description.fr,
    keywordsEn: row.keywords.en.length ? row.keywords.en.join(', ') : undefined,
    keywordsFr: row.keywords.fr.length ? row.keywords.fr.join(', ') : undefined,
    licenceId: row.licenceId ?? undefined,
    contactName: row.contact.name,
    contactEmail: row.contact.email,
    updateFrequency: row.updateFrequency ?? undefined,
    temporalStart: row.temporalStart ?? undefined,
    temporalEnd: row.temporalEnd ?? undefined,
    spatialEn: row.spatial.en,
    spatialFr: row.spatial.fr,
    ...(form['accessLevel'] === row.accessLevel ? { exemptionReasonEn: row.exemptionReason.en, exemptionReasonFr: row.exemptionReason.fr } : {}),
  };
  const out = { ...form };
  const kept: string[] = [];
  for (const [key, value] of Object.entries(here)) {
    if (out[key] === undefined && value !== undefined && value !== '') {
      out[key] = value;
      kept.push(key);
    }
  }
  return { form: out, kept };
}

function bilingual(en: string | undefined, fr: string | undefined): Bilingual {
  return { ...(en ? { en } : {}), ...(fr ? { fr } : {}) };
}

/** The metadata a form would save, in the shape the table keeps, to tell "unchanged" apart. */
function metadataFromForm(form: Record<string, unknown>) {
  const input = datasetInput.parse({ ...form, name: 'comparison' });
  return {
    title: bilingual(input.titleEn, input.titleFr),
    description: bilingual(input.descriptionEn, input.descriptionFr),
    keywords: { en: splitKeywords(input.keywordsEn), fr: splitKeywords(input.keywordsFr) },
    organizationId: input.organizationId,
    licenceId: input.licenceId ?? null,
    accessLevel: input.accessLevel,
    exemptionReason: input.accessLevel === 'open' ? {} : bilingual(input.exemptionReasonEn, input.exemptionReasonFr),
    contact: { ...(input.contactName ? { name: input.contactName } : {}), ...(input.contactEmail ? { email: input.contactEmail } : {}) },
    updateFrequency: input.updateFrequency ?? null,
    temporalStart: input.temporalStart ?? null,
    temporalEnd: input.temporalEnd ?? null,
    spatial: bilingual(input.spatialEn, input.spatialFr),
  };
}

function metadataOfRow(row: DatasetRow): ReturnType<typeof metadataFromForm> {
  return {
    title: row.title,
    description: row.description,
    keywords: row.keywords,
    organizationId: row.organizationId,
    licenceId: row.licenceId,
    accessLevel: row.accessLevel,
    exemptionReason: row.exemptionReason,
    contact: row.contact,
    updateFrequency: row.updateFrequency,
    temporalStart: row.temporalStart,
    temporalEnd: row.temporalEnd,
    spatial: row.spatial,
  };
}

/** A resource's form: a link, named in at least one language (the file name when the source gives none). */
function resourceForm(resource: HarvestResource): Record<string, unknown> {
  const fallback = decodeURIComponent(new URL(resource.url).pathname.split('/').filter(Boolean).pop() ?? '').slice(0, 300) || new URL(resource.url).hostname;
  const named = resource.name.en || resource.name.fr;
  const form: Record<string, unknown> = {
    kind: 'link',
    url: resource.url,
    nameEn: named ? resource.name.en : fallback,
    nameFr: named ? resource.name.fr : fallback,
    descriptionEn: resource.description.en,
    descriptionFr: resource.description.fr,
    format: resource.format && /^[A-Za-z0-9.+-]{1,20}$/.test(resource.format) ? resource.format : undefined,
  };
  return Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined && v !== ''));
}

type ComparableResource = { url: string; name: Bilingual; description: Bilingual; format: string };

function comparableFromForm(form: Record<string, unknown>): ComparableResource {
  const input = resourceInput.parse(form);
  return {
    url: input.url!,
    name: bilingual(input.nameEn, input.nameFr),
    description: bilingual(input.descriptionEn, input.descriptionFr),
    format: (input.format ?? formatOf(input.url, undefined)).toUpperCase(),
  };
}

const comparableFromRow = (row: ResourceRow): ComparableResource => ({ url: row.url ?? '', name: row.name, description: row.description, format: row.format });
const sameResources = (a: ComparableResource[], b: ComparableResource[]) =>
  canonicalJson([...a].sort((x, y) => x.url.localeCompare(y.url))) === canonicalJson([...b].sort((x, y) => x.url.localeCompare(y.url)));

/**
 * Makes a dataset's link resources match the source's: same address → kept (changed if its
 * description changed), new address → added, address gone → removed. Files uploaded here stay.
 */
async function reconcileResources(h: HarvestContext, datasetId: string, existing: ResourceRow[], forms: Record<string, unknown>[]): Promise<void> {
  const links = existing.filter((r) => r.kind === 'link');
  const used = new Set<string>();
  for (const form of forms) {
    const wanted = comparableFromForm(form);
    const match = links.find((r) => !used.has(r.id) && r.url === wanted.url);
    if (!match) {
      await addResource(h.deps, h.ctx, datasetId, form);
      continue;
    }
    used.add(match.id);
    if (canonicalJson(comparableFromRow(match)) !== canonicalJson(wanted)) await editResource(h.deps, h.ctx, datasetId, match.id, form);
  }
  for (const r of links) if (!used.has(r.id)) await removeResource(h.deps, h.ctx, datasetId, r.id);
}

/** A free name for a new dataset: the wanted one, or the wanted one with a number. */
async function freeName(h: HarvestContext, wanted: string): Promise<string> {
  const db = h.deps.kernel.database.db;
  if (!(await findDataset(db, wanted))) return wanted;
  for (let i = 2; i < 100; i++) {
    const candidate = `${wanted.slice(0, 95)}-${i}`;
    if (!(await findDataset(db, candidate))) return candidate;
  }
  return `${wanted.slice(0, 80)}-${Date.now().toString(36)}`;
}

/** Reasons a dataset stays a draft: the fields publishing still needs. */
function draftReason(row: Pick<DatasetRow, 'title' | 'description' | 'licenceId' | 'accessLevel' | 'exemptionReason'>): HarvestReason | null {
  const missing = publicationProblems(row).map((p) => p.field);
  return missing.length ? reason('catalogue.harvest.reasons.draft', { count: missing.length }, missing) : null;
}

/**
 * Applies one record through the catalogue's own actions (so every change is validated and audited
 * as if a person made it): creates the dataset, or updates the one harvested from the same source
 * identifier, or skips it when nothing changed.
 */
export async function applyRecord(h: HarvestContext, record: HarvestRecord): Promise<HarvestItem> {
  const db = h.deps.kernel.database.db;
  const item = (outcome: HarvestItem['outcome'], reasons: HarvestReason[], extra: Partial<HarvestItem> = {}): HarvestItem => ({
    identifier: record.identifier,
    title: record.title,
    outcome,
    reasons,
    ...extra,
  });
  try {
    const organizationId = await organizationFor(h, record);
    const licence = licenceFor(h, record);
    const notes: HarvestReason[] = licence.unknown ? [reason('catalogue.harvest.reasons.licenceUnknown', { licence: licence.unknown.slice(0, 200) })] : [];
    const form = formFor(h, record, organizationId, licence.id);
    const resourceForms = record.resources.map(resourceForm);
    const existing = await findBySource(db, h.source.id, record.identifier);

    if (!existing) {
      const name = await freeName(h, nameFor(record));
      const created = await createDataset(h.deps, h.ctx, { ...form, name });
      await linkDataset(h.deps.kernel.database, h.ctx, created, h.source, record.identifier);
      for (const resourceForm of resourceForms) await addResource(h.deps, h.ctx, created.id, resourceForm);
      const draft = draftReason((await findDataset(db, created.id))!);
      if (!draft) await publishDataset(h.deps, h.ctx, created.id);
      return item('created', [...notes, ...(draft ? [draft] : [])], { name, draft: !!draft });
    }

    const view = { name: existing.name };
    if (existing.state === 'deleted') return item('skipped', [reason('catalogue.harvest.reasons.deletedHere')], view);
    const { form: merged, kept } = completedForm(form, existing);
    const wanted = metadataFromForm(merged);
    // A licence chosen here answers the source's unknown one.
    if (merged['licenceId']) notes.splice(0, notes.length);
    const currentResources = (await resourcesOf(db, existing.id)).filter((r) => r.kind === 'link');
    const unchanged =
      canonicalJson(wanted) === canonicalJson(metadataOfRow(existing)) && sameResources(currentResources.map(comparableFromRow), resourceForms.map(comparableFromForm));
    if (unchanged) return item('skipped', [reason('catalogue.harvest.reasons.unchanged'), ...notes], { ...view, draft: existing.state === 'draft' });

    const draft = draftReason(wanted);
    if (existing.state === 'published' && draft) {
      // Saving would break the rule that published datasets are complete in both languages.
      return item('skipped', [reason('catalogue.harvest.reasons.wouldUnpublish', undefined, draft.fields), ...notes], view);
    }
    await editDataset(h.deps, h.ctx, existing.id, { ...merged, name: existing.name });
    await reconcileResources(h, existing.id, await resourcesOf(db, existing.id), resourceForms);
    const reasons = [...notes];
    if (kept.length) reasons.push(reason('catalogue.harvest.reasons.keptHere', { count: kept.length }, kept));
    if (existing.state === 'draft' && !draft) {
      await publishDataset(h.deps, h.ctx, existing.id);
      reasons.push(reason('catalogue.harvest.reasons.publishedNow'));
    }
    if (draft) reasons.push(draft);
    return item('updated', reasons, { ...view, draft: !!draft });
  } catch (error) {
    if (error instanceof InputError) {
      return item('failed', error.fields.map((f) => reason(f.messageKey, f.params as Record<string, string | number> | undefined)));
    }
    if (error instanceof DomainError) return item('failed', [reason(error.messageKey, error.params as Record<string, string | number>)]);
    throw error;
  }
}
