import type { Bilingual } from '../../kernel/i18n/index.js';
import type {
  AccessLevel,
  ContactPoint,
  DatasetState,
  Keywords,
  LoadStatus,
  QualityAssessment,
  RequestStatus,
  TableSchema,
  UpdateFrequency,
  ValidationReport,
} from './schema.js';

export type { AccessLevel, ContactPoint, DatasetState, Keywords, LoadStatus, QualityAssessment, RequestStatus, TableSchema, UpdateFrequency, ValidationReport };

/** A dataset's metadata as pages, the APIs and other modules see it. */
export interface Dataset {
  id: string;
  name: string;
  title: Bilingual;
  description: Bilingual;
  keywords: Keywords;
  organizationId: string;
  organization: { slug: string; name: Bilingual };
  groups: string[];
  licenceId: string | null;
  accessLevel: AccessLevel;
  exemptionReason: Bilingual;
  state: DatasetState;
  contact: ContactPoint;
  updateFrequency: UpdateFrequency | null;
  temporalStart: string | null;
  temporalEnd: string | null;
  spatial: Bilingual;
  formats: string[];
  quality: QualityAssessment | null;
  views: number;
  downloads: number;
  version: number;
  harvestSourceId: string | null;
  sourceIdentifier: string | null;
  createdAt: Date;
  modifiedAt: Date;
  publishedAt: Date | null;
}

export interface Resource {
  id: string;
  datasetId: string;
  position: number;
  name: Bilingual;
  description: Bilingual;
  kind: 'upload' | 'link';
  url: string | null;
  fileName: string | null;
  format: string;
  mediaType: string | null;
  size: number | null;
  sha256: string | null;
  tableSchema: TableSchema | null;
  standardId: string | null;
  datastoreTable: string | null;
  datastoreRows: number | null;
  loadStatus: LoadStatus;
  loadJobId: string | null;
  loadedAt: Date | null;
  validation: ValidationReport | null;
  views: number;
  downloads: number;
  createdAt: Date;
  modifiedAt: Date;
}

export interface Licence {
  id: string;
  title: Bilingual;
  url: Bilingual;
  open: boolean;
}

export interface Group {
  id: string;
  name: string;
  title: Bilingual;
  description: Bilingual;
}

export interface FacetValue {
  value: string;
  count: number;
  /** Shown to people (a translated name where one exists). */
  label?: Bilingual;
}

export interface SearchFacets {
  organization: FacetValue[];
  group: FacetValue[];
  keyword: FacetValue[];
  format: FacetValue[];
  licence: FacetValue[];
  access: FacetValue[];
}

export interface SearchResult {
  total: number;
  datasets: Dataset[];
  facets: SearchFacets;
  /** A corrected query when nothing matched ("did you mean"). */
  suggestion: string | null;
  /** True when the datasets are close matches for a misspelled query rather than exact ones. */
  fuzzy: boolean;
}

export interface DatasetRequest {
  id: string;
  title: string;
  description: string;
  locale: 'en' | 'fr';
  requesterId: string | null;
  organizationId: string | null;
  status: RequestStatus;
  statusNote: Bilingual;
  datasetId: string | null;
  votes: number;
  createdAt: Date;
  updatedAt: Date;
}
