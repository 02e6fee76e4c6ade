import type { Bilingual } from '../../kernel/i18n/index.js';
import type { AssessmentRating, Channel, MissingReason, OnlineEnablement, ServiceStatus, StandardType } from './schema.js';

/** A service in the inventory, as actions return it. */
export interface Service {
  id: string;
  code: string;
  organization: { id: string; slug: string; name: Bilingual };
  name: Bilingual;
  description: Bilingual;
  program: { code: string | null; name: Bilingual | null };
  serviceTypes: string[];
  clientTypes: string[];
  channels: Channel[];
  onlineEnablement: OnlineEnablement;
  chargesFee: boolean | null;
  feeDescription: Bilingual | null;
  url: Bilingual | null;
  status: ServiceStatus;
  source: string | null;
  updatedAt: Date;
}

/** Which kind of data a KPI comes from: transaction events, periodic counts, both, or none yet. */
export type DataSource = 'events' | 'counts' | 'both' | 'none';

/** The satisfaction KPI: shown only from 17 responses (fewer gives "not enough responses"). */
export interface Satisfaction {
  responses: number;
  /** Responses per answer, from 1 (very dissatisfied) to 5 (very satisfied). */
  counts: [number, number, number, number, number];
  enough: boolean;
  /** (mean − 1) / 4, from 0 to 1; null when not enough responses. */
  normalisedMean: number | null;
  /** Share answering satisfied or very satisfied; null when not enough responses. */
  satisfiedShare: number | null;
}

export interface StandardPerformance {
  id: string;
  serviceCode: string;
  name: Bilingual;
  type: StandardType;
  channel: Channel | null;
  target: number | null;
  volumeMeetingTarget: number | null;
  totalVolume: number | null;
  /** volumeMeetingTarget ÷ totalVolume; null without volume. */
  performance: number | null;
  met: boolean | null;
}

/** The figures behind the KPIs for one scope and period. */
export interface Figures {
  started: number;
  completed: number;
  outcomes: { approved: number; denied: number; ineligible: number; other: number };
  abandoned: number;
  completedOnline: number;
  /** Completed transactions per channel (events and counts together). */
  byChannel: Array<{ channel: Channel; started: number; completed: number; cost: number | null; missing: MissingReason | null }>;
  /** Total cost entered for the period (null when none was entered). */
  cost: number | null;
  source: DataSource;
  satisfaction: Satisfaction;
}

/** The four KPIs (and service-standard performance) for one scope and period. */
export interface Kpis {
  period: PeriodView;
  channel: Channel | null;
  figures: Figures;
  /** Total cost ÷ completed transactions. */
  costPerTransaction: number | null;
  /** Completed online ÷ all completed (not shown when one channel is chosen). */
  digitalTakeUp: number | null;
  /** Completed (ineligible included) ÷ started. */
  completionRate: number | null;
  satisfaction: Satisfaction;
  standards: StandardPerformance[];
}

export interface PeriodView {
  /** The period's code as used in URLs: `12m`, `2026-10`, `2026-Q3`, `FY2025-2026`. */
  code: string;
  kind: 'rolling12' | 'month' | 'quarter' | 'fiscal_year';
  /** First and last day, inclusive (`YYYY-MM-DD`). */
  start: string;
  end: string;
}

export interface FeedbackItem {
  id: string;
  serviceId: string;
  reference: string | null;
  satisfaction: number | null;
  achieved: 'yes' | 'partly' | 'no' | null;
  comment: string | null;
  locale: string;
  tags: string[];
  actioned: boolean;
  actionedAt: Date | null;
  submittedAt: Date;
}

export interface Improvement {
  id: string;
  youSaid: Bilingual;
  weDid: Bilingual;
  publishedOn: string;
}

export interface AssessmentPoint {
  id: string;
  position: number;
  title: Bilingual;
  description: Bilingual;
  active: boolean;
}

export interface AssessmentEntry {
  id: string;
  pointId: string;
  rating: AssessmentRating;
  evidence: string | null;
  assessor: string | null;
  assessedOn: string;
  recordedAt: Date;
}
