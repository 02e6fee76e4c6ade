import type { AccessLevel, UpdateFrequency } from '../types.js';

/**
 * Trillium's controlled values and the EU vocabularies DCAT-AP asks for (Publications Office
 * authority tables), both ways: the catalogue writes them, the harvester reads them.
 */
const eu = 'http://publications.europa.eu/resource/authority/';

export const frequencyIris: Record<UpdateFrequency, string> = {
  continual: `${eu}frequency/CONT`,
  daily: `${eu}frequency/DAILY`,
  weekly: `${eu}frequency/WEEKLY`,
  monthly: `${eu}frequency/MONTHLY`,
  quarterly: `${eu}frequency/QUARTERLY`,
  biannual: `${eu}frequency/ANNUAL_2`,
  annual: `${eu}frequency/ANNUAL`,
  irregular: `${eu}frequency/IRREG`,
  as_needed: `${eu}frequency/AS_NEEDED`,
  never: `${eu}frequency/NEVER`,
};

/**
 * Open data is PUBLIC; data under review may be released under conditions (RESTRICTED); restricted
 * data is kept to the owning organization (NON_PUBLIC). The same order as DCAT-US's access levels.
 */
export const accessRightIris: Record<AccessLevel, string> = {
  open: `${eu}access-right/PUBLIC`,
  under_review: `${eu}access-right/RESTRICTED`,
  restricted: `${eu}access-right/NON_PUBLIC`,
};

export const languageIris = { en: `${eu}language/ENG`, fr: `${eu}language/FRA` } as const;

/** Formats Trillium sees often, with their EU file-type code and media type. */
const formats: Record<string, { fileType: string; mediaType?: string }> = {
  CSV: { fileType: 'CSV', mediaType: 'text/csv' },
  TSV: { fileType: 'TSV', mediaType: 'text/tab-separated-values' },
  JSON: { fileType: 'JSON', mediaType: 'application/json' },
  GEOJSON: { fileType: 'GEOJSON', mediaType: 'application/geo+json' },
  JSONLD: { fileType: 'JSON_LD', mediaType: 'application/ld+json' },
  XML: { fileType: 'XML', mediaType: 'application/xml' },
  XLSX: { fileType: 'XLSX', mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  XLS: { fileType: 'XLS', mediaType: 'application/vnd.ms-excel' },
  ODS: { fileType: 'ODS', mediaType: 'application/vnd.oasis.opendocument.spreadsheet' },
  PDF: { fileType: 'PDF', mediaType: 'application/pdf' },
  ZIP: { fileType: 'ZIP', mediaType: 'application/zip' },
  HTML: { fileType: 'HTML', mediaType: 'text/html' },
  TXT: { fileType: 'TXT', mediaType: 'text/plain' },
  RDF: { fileType: 'RDF_XML', mediaType: 'application/rdf+xml' },
  TTL: { fileType: 'RDF_TURTLE', mediaType: 'text/turtle' },
  KML: { fileType: 'KML', mediaType: 'application/vnd.google-earth.kml+xml' },
  KMZ: { fileType: 'KMZ', mediaType: 'application/vnd.google-earth.kmz' },
  SHP: { fileType: 'SHP' },
  DOCX: { fileType: 'DOCX', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  DOC: { fileType: 'DOC', mediaType: 'application/msword' },
  PARQUET: { fileType: 'PARQUET', mediaType: 'application/vnd.apache.parquet' },
};

const normalise = (format: string) => format.trim().toUpperCase().replace(/[^A-Z0-9]/g, '');

/** The EU file-type IRI of a format (CSV → …/file-type/CSV), or null when it has none. */
export function fileTypeIri(format: string): string | null {
  const known = formats[normalise(format)];
  return known ? `${eu}file-type/${known.fileType}` : null;
}

/** The usual media type of a format, or null. */
export function mediaTypeOf(format: string): string | null {
  return formats[normalise(format)]?.mediaType ?? null;
}

/** IANA's address for a media type (what DCAT-AP's dcat:mediaType points at). */
export function mediaTypeIri(mediaType: string): string | null {
  const clean = mediaType.split(';')[0]!.trim().toLowerCase();
  return /^[a-z]+\/[a-z0-9.+-]+$/.test(clean) ? `https://www.iana.org/assignments/media-types/${clean}` : null;
}

const lastSegment = (value: string) => value.replace(/[/#]+$/, '').split(/[/#]/).pop() ?? '';

/** A format label from a DCAT dct:format value: an EU file-type IRI, an IANA media type, or text. */
export function formatFromDcat(value: string): string | null {
  if (/^https?:\/\//.test(value)) {
    const code = lastSegment(value).toUpperCase();
    const known = Object.entries(formats).find(([, f]) => f.fileType === code || f.mediaType === value.split('/media-types/')[1]);
    return known ? known[0] : code.replace(/[^A-Z0-9.+-]/g, '') || null;
  }
  const byMedia = Object.entries(formats).find(([, f]) => f.mediaType === value.toLowerCase());
  if (byMedia) return byMedia[0];
  const text = value.trim().toUpperCase();
  return /^[A-Z0-9.+-]{1,20}$/.test(text) ? text : null;
}

/** Reads a frequency however sources write it: EU IRIs, ISO 8601 durations, or words. */
export function frequencyFrom(value: string | null | undefined): UpdateFrequency | null {
  if (!value) return null;
  const byIri = Object.entries(frequencyIris).find(([, v]) => v === value);
  if (byIri) return byIri[0] as UpdateFrequency;
  const word = lastSegment(value).toLowerCase().replace(/[\s-]+/g, '_');
  const words: Record<string, UpdateFrequency> = {
    cont: 'continual',
    continual: 'continual',
    continuous: 'continual',
    update_cont: 'continual',
    realtime: 'continual',
    daily: 'daily',
    p1d: 'daily',
    weekly: 'weekly',
    p1w: 'weekly',
    p7d: 'weekly',
    monthly: 'monthly',
    p1m: 'monthly',
    quarterly: 'quarterly',
    p3m: 'quarterly',
    annual_2: 'biannual',
    biannual: 'biannual',
    biannually: 'biannual',
    semiannual: 'biannual',
    p6m: 'biannual',
    annual: 'annual',
    annually: 'annual',
    yearly: 'annual',
    p1y: 'annual',
    irreg: 'irregular',
    irregular: 'irregular',
    as_needed: 'as_needed',
    asneeded: 'as_needed',
    never: 'never',
    not_planned: 'never',
  };
  return words[word] ?? null;
}

/** The access level an EU access-right IRI stands for (anything else is taken as open). */
export function accessLevelFrom(value: string | null | undefined): AccessLevel {
  const code = value ? lastSegment(value).toUpperCase() : 'PUBLIC';
  if (code === 'NON_PUBLIC' || code === 'NON-PUBLIC' || code === 'CONFIDENTIAL' || code === 'SENSITIVE') return 'restricted';
  if (code === 'RESTRICTED') return 'under_review';
  return 'open';
}
