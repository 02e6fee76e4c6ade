/**
 * Parsing of the Government of Canada Service Inventory (open.canada.ca dataset
 * 3ac0d080-6149-499a-8b06-7ce5f00ec56c, 2024 schema) into plain records. Pure: no database, no I/O.
 * Contains information licensed under the Open Government Licence – Canada.
 *
 * The inventory reports counts as a number, `ND` (no data) or `NA` (not applicable). Those two
 * stay distinct from zero all the way through: a count is either a number, or null with a
 * `missing` reason.
 */
import { parse } from 'csv-parse/sync';
import type {
  Channel,
  MissingReason,
  OnlineAnswer,
  OnlineEnablement,
  OnlinePoint,
  StandardType,
} from '../schema.js';

/** Text in both official languages; both are always present in these records. */
export type BilingualText = { en: string; fr: string };

export interface GcServiceRecord {
  /** The inventory's `service_id`. */
  code: string;
  /** e.g. `2023-2024`. */
  fiscalYear: string;
  organization: { slug: string; name: BilingualText };
  name: BilingualText;
  description: BilingualText;
  /** The program code(s), comma-separated as in the file when a service belongs to several programs. */
  programCode: string | null;
  /** The program name(s) without the file's stray quotes; several programs are joined with '; '. */
  programName: BilingualText | null;
  serviceTypes: string[];
  clientTypes: string[];
  /** Channels the service is offered through (see {@link offeredChannels}). */
  channels: Channel[];
  onlineEnablement: OnlineEnablement;
  chargesFee: boolean | null;
  url: BilingualText | null;
  /**
   * Applications per channel for the fiscal year (April 1 to March 31), as count reports:
   * completed = the number, or null with missing 'no_data' (ND) / 'not_applicable' (NA).
   * Never turn ND/NA into 0.
   */
  volumes: Array<{ channel: Channel; completed: number | null; missing: MissingReason | null }>;
  periodStart: string;
  periodEnd: string;
}

export interface GcStandardRecord {
  serviceCode: string;
  /** The inventory's `service_standard_id`. */
  code: string;
  name: BilingualText;
  type: StandardType;
  channel: Channel | null;
  /** Share of volume that should meet the standard, 0–1. */
  target: number | null;
  volumeMeetingTarget: number | null;
  totalVolume: number | null;
  url: BilingualText | null;
  periodStart: string;
  periodEnd: string;
}

/** A row that could not be used, or a value that was dropped. `row` is the spreadsheet row: the header is row 1. */
export interface ParseProblem {
  row: number;
  message: string;
}

const channelCodes: Record<string, Channel> = {
  ONL: 'online',
  PERSON: 'in_person',
  TEL: 'phone',
  POST: 'mail',
  EML: 'email',
  FAX: 'fax',
  OTH: 'other',
};

const standardTypeCodes: Record<string, StandardType> = {
  TML: 'timeliness',
  ACS: 'access',
  ACY: 'accuracy',
  OTH: 'other',
};

/** Applications per channel, in the order of the schema's `channels`. */
const applicationColumns: ReadonlyArray<readonly [Channel, string]> = [
  ['online', 'num_applications_online'],
  ['in_person', 'num_applications_in_person'],
  ['phone', 'num_applications_by_phone'],
  ['mail', 'num_applications_by_mail'],
  ['email', 'num_applications_by_email'],
  ['fax', 'num_applications_by_fax'],
  ['other', 'num_applications_by_other'],
];

const onlineColumns: ReadonlyArray<readonly [OnlinePoint, string]> = [
  ['accountRegistration', 'os_account_registration'],
  ['authentication', 'os_authentication'],
  ['application', 'os_application'],
  ['decision', 'os_decision'],
  ['issuance', 'os_issuance'],
  ['feedback', 'os_issue_resolution_feedback'],
];

const onlineAnswerCodes: Record<string, OnlineAnswer> = { Y: 'yes', N: 'no', NA: 'not_applicable' };

type Row = Record<string, string>;

/** A reported count: a number, or why there is none. */
type Count = { value: number; missing: null } | { value: null; missing: MissingReason };

/**
 * Parses `si_*.csv` (one row per service and fiscal year). When a service appears in several
 * fiscal years, the newest row is kept. Rows without a service ID, a name in both languages, an
 * organization or a readable fiscal year are reported as problems and skipped.
 */
export function parseServiceInventory(csv: string | Buffer): {
  services: GcServiceRecord[];
  problems: ParseProblem[];
} {
  const problems: ParseProblem[] = [];
  const rows = readRows(
    csv,
    ['service_id', 'fiscal_yr', 'service_name_en', 'service_name_fr', 'owner_org', 'owner_org_title'],
    problems,
  );
  const newest = new Map<string, { row: number; record: GcServiceRecord }>();
  rows.forEach((r, i) => {
    const row = i + 2;
    const record = toService(r, row, problems);
    if (!record) return;
    const kept = newest.get(record.code);
    if (kept && kept.record.fiscalYear === record.fiscalYear) {
      problems.push({
        row,
        message: `service ${record.code} appears twice for ${record.fiscalYear} (row ${kept.row} too); the later row is kept`,
      });
    }
    if (!kept || kept.record.fiscalYear <= record.fiscalYear) newest.set(record.code, { row, record });
  });
  return { services: [...newest.values()].map((k) => k.record), problems };
}

/**
 * Parses `ss_*.csv` (one row per service standard and fiscal year). Every fiscal year is kept, as
 * each is a separate result for the standard. Rows without a service ID, a standard ID, a name in
 * both languages, a known type or a readable fiscal year are reported as problems and skipped.
 */
export function parseServiceStandards(csv: string | Buffer): {
  standards: GcStandardRecord[];
  problems: ParseProblem[];
} {
  const problems: ParseProblem[] = [];
  const rows = readRows(
    csv,
    ['service_id', 'service_standard_id', 'fiscal_yr', 'service_standard_en', 'service_standard_fr', 'type'],
    problems,
  );
  const seen = new Map<string, number>();
  const standards: GcStandardRecord[] = [];
  rows.forEach((r, i) => {
    const row = i + 2;
    const record = toStandard(r, row, problems);
    if (!record) return;
    const key = `${record.serviceCode}\u0000${record.code}\u0000${record.periodStart}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push({
        row,
        message: `standard ${record.code} of service ${record.serviceCode} appears twice for the same fiscal year; the later row is kept`,
      });
      standards[earlier] = record;
      return;
    }
    seen.set(key, standards.length);
    standards.push(record);
  });
  return { standards, problems };
}

/**
 * Channels a service is offered through, derived from its counts because the inventory has no
 * list of them: a channel is offered when its applications count is a number or ND (the service
 * uses the channel but did not count), not when it is NA. The phone is also offered when
 * `num_phone_enquiries` is not NA (people call about the service), and online when
 * `num_website_visits` is not NA or the application can be made online (`os_application` Y).
 * An empty cell is no evidence either way; an unreadable count is treated like ND.
 */
function offeredChannels(r: Row, online: OnlineEnablement): Channel[] {
  const offered = new Set(
    applicationColumns.filter(([, column]) => isReported(r[column])).map(([channel]) => channel),
  );
  if (isReported(r['num_phone_enquiries'])) offered.add('phone');
  if (isReported(r['num_website_visits']) || online.application === 'yes') offered.add('online');
  return applicationColumns.map(([channel]) => channel).filter((c) => offered.has(c));
}

function toService(r: Row, row: number, problems: ParseProblem[]): GcServiceRecord | null {
  const code = text(r['service_id']);
  const name = bilingual(r['service_name_en'], r['service_name_fr']);
  const slug = text(r['owner_org']);
  const period = fiscalPeriod(r['fiscal_yr']);
  const missing = [
    !code && 'service_id',
    !name && 'service name (English and French)',
    !slug && 'owner_org',
    !period && 'a fiscal year (YYYY-YYYY)',
  ].filter(Boolean);
  if (!code || !name || !slug || !period) {
    problems.push({
      row,
      message: `skipped${code ? ` service ${code}` : ''}: missing ${missing.join(', ')}`,
    });
    return null;
  }
  const note = (message: string) => problems.push({ row, message: `service ${code}: ${message}` });

  const volumes = applicationColumns.map(([channel, column]) => {
    let count = readCount(r[column], (m) => note(`${column} ${m}`));
    if (!count) {
      // An empty cell says nothing about the count: it is recorded as no data, never as zero.
      note(`${column} is empty; recorded as no data`);
      count = noData;
    }
    return { channel, completed: count.value, missing: count.missing };
  });
  const onlineEnablement: OnlineEnablement = {};
  for (const [point, column] of onlineColumns) {
    const value = text(r[column]).toUpperCase();
    if (!value) continue;
    const answer = onlineAnswerCodes[value];
    if (answer) onlineEnablement[point] = answer;
    else note(`${column} '${r[column]}' is not Y, N or NA and was left out`);
  }
  return {
    code,
    fiscalYear: period.fiscalYear,
    organization: { slug, name: organizationName(r['owner_org_title'] ?? '', slug, note) },
    name,
    description: { en: text(r['service_description_en']), fr: text(r['service_description_fr']) },
    programCode: text(r['program_id']) || null,
    programName: bilingual(programName(r['program_name_en']), programName(r['program_name_fr'])),
    serviceTypes: codes(r['service_type']),
    clientTypes: codes(r['client_target_groups']),
    channels: offeredChannels(r, onlineEnablement),
    onlineEnablement,
    chargesFee: yesNo(r['service_fee']),
    url: urls(r['service_uri_en'], r['service_uri_fr']),
    volumes,
    periodStart: period.start,
    periodEnd: period.end,
  };
}

function toStandard(r: Row, row: number, problems: ParseProblem[]): GcStandardRecord | null {
  const serviceCode = text(r['service_id']);
  const code = text(r['service_standard_id']);
  const name = bilingual(r['service_standard_en'], r['service_standard_fr']);
  const type = standardTypeCodes[text(r['type']).toUpperCase()];
  const period = fiscalPeriod(r['fiscal_yr']);
  const missing = [
    !serviceCode && 'service_id',
    !code && 'service_standard_id',
    !name && 'standard name (English and French)',
    !type && `a known type (TML, ACS, ACY, OTH; found '${text(r['type'])}')`,
    !period && 'a fiscal year (YYYY-YYYY)',
  ].filter(Boolean);
  if (!serviceCode || !code || !name || !type || !period) {
    problems.push({
      row,
      message: `skipped${code ? ` standard ${code}` : ''}: missing ${missing.join(', ')}`,
    });
    return null;
  }
  const note = (message: string) =>
    problems.push({ row, message: `standard ${code} of service ${serviceCode}: ${message}` });
  const channelCode = text(r['channel']).toUpperCase();
  const channel = channelCodes[channelCode] ?? null;
  if (channelCode && !channel) note(`channel '${channelCode}' is unknown and was left out`);
  return {
    serviceCode,
    code,
    name,
    type,
    channel,
    target: readTarget(r['target'], (m) => note(`target ${m}`)),
    volumeMeetingTarget:
      readCount(r['volume_meeting_target'], (m) => note(`volume_meeting_target ${m}`))?.value ?? null,
    totalVolume: readCount(r['total_volume'], (m) => note(`total_volume ${m}`))?.value ?? null,
    url: urls(r['standards_targets_uri_en'], r['standards_targets_uri_fr']),
    periodStart: period.start,
    periodEnd: period.end,
  };
}

/** Parses the CSV into rows keyed by column; a file that cannot be read at all is one problem, not an exception. */
function readRows(csv: string | Buffer, required: string[], problems: ParseProblem[]): Row[] {
  let rows: Row[];
  try {
    rows = parse(csv, {
      columns: true,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as Row[];
  } catch (error) {
    problems.push({
      row: 0,
      message: `the file could not be read as CSV: ${error instanceof Error ? error.message : String(error)}`,
    });
    return [];
  }
  const header = rows[0] ? Object.keys(rows[0]) : [];
  const absent = rows.length ? required.filter((c) => !header.includes(c)) : [];
  if (absent.length) {
    problems.push({ row: 1, message: `the header lacks ${absent.join(', ')}` });
    return [];
  }
  return rows;
}

const text = (value: string | undefined): string => (value ?? '').trim();

function bilingual(en: string | undefined, fr: string | undefined): BilingualText | null {
  const both = { en: text(en), fr: text(fr) };
  return both.en && both.fr ? both : null;
}

/** `2023-2024` → April 1, 2023 to March 31, 2024 (the federal fiscal year). */
function fiscalPeriod(value: string | undefined): { fiscalYear: string; start: string; end: string } | null {
  const match = /^(\d{4})-(\d{4})$/.exec(text(value));
  if (!match || Number(match[2]) !== Number(match[1]) + 1) return null;
  return { fiscalYear: match[0], start: `${match[1]}-04-01`, end: `${match[2]}-03-31` };
}

/** `owner_org_title` is `English | Français`. */
function organizationName(title: string, slug: string, note: (message: string) => void): BilingualText {
  const [en, fr, ...rest] = title.split(' | ').map((s) => s.trim());
  if (en && fr && rest.length === 0) return { en, fr };
  note(
    `owner_org_title '${title}' is not 'English | Français'; ${en ? 'used for both languages' : 'the slug is used'}`,
  );
  return { en: en || slug, fr: en || slug };
}

/**
 * Program names come quoted, e.g. `'Information Management Services'` or `"Programme d'assurance"`,
 * and a service in several programs lists them: `'Returns Compliance', 'Benefits'`.
 */
function programName(value: string | undefined): string {
  const raw = text(value);
  const quoted = [...raw.matchAll(/'([^']*)'|"([^"]*)"/g)];
  const covered = quoted.map((m) => m[0]).join(', ');
  if (quoted.length && covered.replace(/\s/g, '') === raw.replace(/\s/g, '')) {
    return quoted
      .map((m) => (m[1] ?? m[2] ?? '').trim())
      .filter(Boolean)
      .join('; ');
  }
  return raw;
}

const codes = (value: string | undefined): string[] =>
  text(value)
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);

function yesNo(value: string | undefined): boolean | null {
  const v = text(value).toUpperCase();
  return v === 'Y' ? true : v === 'N' ? false : null;
}

/** A count is reported (the channel is in use) when it is a number or ND; NA and empty mean not in use. */
function isReported(value: string | undefined): boolean {
  const v = text(value).toUpperCase();
  return v !== '' && v !== 'NA';
}

const noData: Count = { value: null, missing: 'no_data' };

/**
 * A count: a number (stray spaces, including spaces as thousands separators, are ignored), ND or
 * NA; null when the cell is empty. Anything else is noted and recorded as no data.
 */
function readCount(value: string | undefined, note: (message: string) => void): Count | null {
  const v = text(value).toUpperCase();
  if (v === '') return null;
  if (v === 'ND') return noData;
  if (v === 'NA') return { value: null, missing: 'not_applicable' };
  const digits = v.replace(/[\s\u00a0\u202f]/g, '');
  if (/^\d+$/.test(digits)) return { value: Number(digits), missing: null };
  note(`'${value}' is not a count, ND or NA; recorded as no data`);
  return noData;
}

/** Targets are shares such as `0.9`; `90%` is accepted too. */
function readTarget(value: string | undefined, note: (message: string) => void): number | null {
  const v = text(value).replace(/\s/g, '');
  if (v === '' || /^(ND|NA)$/i.test(v)) return null;
  const percent = v.endsWith('%');
  const n = Number(percent ? v.slice(0, -1) : v);
  const share = percent ? n / 100 : n;
  if (Number.isFinite(share) && share >= 0 && share <= 1) return share;
  note(`'${value}' is not a share between 0 and 1; left out`);
  return null;
}

/**
 * The URL columns hold free text: real URLs, but also 'N/A', 'Unavailable', a bare 'http://' or a
 * page title. Only a web address with a host is kept; a scheme-less `www.` address gets https://.
 * When one language has no address, the other language's address is used for both.
 */
function urls(en: string | undefined, fr: string | undefined): BilingualText | null {
  const e = webAddress(en);
  const f = webAddress(fr);
  if (!e && !f) return null;
  return { en: (e ?? f)!, fr: (f ?? e)! };
}

function webAddress(value: string | undefined): string | null {
  const v = text(value);
  // A single address broken by a stray space ('…tribunaux- administratifs/…') is joined again.
  const joined = v.replace(/\s+/g, '');
  const starts = (joined.match(/https?:\/\//gi) ?? []).length || (joined.match(/www\./gi) ?? []).length;
  const single = /^(https?:\/\/|www\.)/i.test(v) && starts === 1;
  const candidate = single ? joined : /(?:https?:\/\/|www\.)[^\s,;]+/i.exec(v)?.[0];
  if (!candidate) return null;
  // Two addresses run together ('…/designationhttps://…') keep the first.
  const first = candidate.replace(/(.)https?:\/\/.*$/i, '$1');
  const address = /^www\./i.test(first) ? `https://${first}` : first;
  try {
    const url = new URL(address);
    return url.hostname.includes('.') ? address : null;
  } catch {
    return null;
  }
}
