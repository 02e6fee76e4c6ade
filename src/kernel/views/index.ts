import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { pickText, type Bilingual, type Locale } from '../i18n/index.js';
import { formatBytes } from '../files/index.js';
import { TemplateLoader } from './loader.js';

export { readAssetManifest, type AssetManifest } from './assets.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const govukDist = path.join(path.dirname(createRequire(import.meta.url).resolve('govuk-frontend/package.json')), 'dist');

/** The kernel's own templates (layout, components, error pages). */
export const kernelTemplates = path.join(here, 'templates');

export interface ViewsOptions {
  /** Module id → its `views/` folder; templates are named `<module id>/<file>`. */
  namespaces: Map<string, string>;
  /** Re-read templates on every render (development). */
  reload: boolean;
  timeZone: string;
  /** Templates every page shows above the site footer, in module order (`pageFooter` of each module). */
  pageFooters?: readonly string[];
}

/** Renders Nunjucks templates with govuk-frontend macros; autoescaping is always on. */
export class Views {
  readonly env: nunjucks.Environment;

  constructor(options: ViewsOptions) {
    const loader = new TemplateLoader(options.namespaces, [kernelTemplates, govukDist], options.reload);
    this.env = new nunjucks.Environment(loader as unknown as nunjucks.ILoader, { autoescape: true, trimBlocks: true, lstripBlocks: true });
    addFilters(this.env, options.timeZone);
    this.env.addGlobal('pageFooters', options.pageFooters ?? []);
  }

  render(template: string, context: object): string {
    return this.env.render(template, context);
  }
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** Built once: making an Intl formatter costs far more than using one, and pages format hundreds of numbers. */
const numberFormats = { en: new Intl.NumberFormat('en-CA'), fr: new Intl.NumberFormat('fr-CA') };

function formatter(locale: Locale, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withTime}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-CA' : 'en-CA', {
      timeZone,
      dateStyle: 'long',
      ...(withTime ? { timeStyle: 'short' } : {}),
    });
    dateFormats.set(key, f);
  }
  return f;
}

/**
 * Formats a date in the page's language and the installation's time zone. With the time, the
 * time itself never breaks across lines ("14 h 05", "2:05 p.m." keep non-breaking spaces); the
 * line may still break between the date and the time.
 */
export function formatDate(value: Date | string | null | undefined, locale: Locale, timeZone: string, withTime = false): string {
  if (!value) return '';
  // A calendar date (2021-07-13) is the same day everywhere: format it in UTC, where it was parsed,
  // or it would show as the 12th west of Greenwich.
  const calendarDate = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const format = formatter(locale, calendarDate ? 'UTC' : timeZone, withTime && !calendarDate);
  if (!withTime || calendarDate) return format.format(date);
  const parts = format.formatToParts(date);
  const hour = parts.findIndex((p) => p.type === 'hour');
  return parts.map((p, i) => (hour >= 0 && i >= hour ? p.value.replace(/\s/g, '\u00a0') : p.value)).join('');
}

/** The first characters of a UUID, enough to tell entries apart on a page ("3f2a9c1e"). */
export function shortId(id: string | null | undefined): string {
  return id ? id.slice(0, 8) : '';
}

/** Plain text with its web addresses turned into links (escaped; only http and https). */
export function linkify(text: string): string {
  const out: string[] = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"']+/g)) {
    // A full stop or bracket right after an address ends the sentence, not the address.
    const url = match[0].replace(/[.,;:!?)\]]+$/, '');
    out.push(escapeHtml(text.slice(last, match.index)));
    out.push(`<a class="govuk-link" href="${escapeHtml(url)}">${escapeHtml(url)}</a>`);
    last = match.index + url.length;
  }
  out.push(escapeHtml(text.slice(last)));
  return out.join('');
}

function addFilters(env: nunjucks.Environment, timeZone: string) {
  /** Message key describing an audit action: `identity.account.registered` → `identity.events.account.registered`. */
  env.addGlobal('eventKey', eventKey);
  /**
   * `errorMessage` for a govuk form macro: the field's message, or false when it has none. The
   * hidden prefix screen readers announce ("Error:") is in the page's language, not govuk's English.
   */
  env.addGlobal('fieldError', function (this: { ctx?: { t?: (key: string) => string } }, errorMap: Record<string, string> | undefined, name: string) {
    if (!errorMap?.[name]) return false;
    const t = this?.ctx?.t;
    return { text: errorMap[name], ...(t ? { visuallyHiddenText: t('layout.errorHidden') } : {}) };
  });
  env.addGlobal('shortId', shortId);
  /** Plain text (a message body) with its links clickable; the text is escaped first. */
  env.addFilter('linkify', (value: string | null | undefined) => new nunjucks.runtime.SafeString(linkify(value ?? '')));
  // `this.ctx.locale` is the page's language, set for every render by the page context.
  env.addFilter('date', function (this: { ctx: { locale: Locale } }, value: Date | string | null) {
    return formatDate(value, this.ctx.locale, timeZone);
  });
  env.addFilter('datetime', function (this: { ctx: { locale: Locale } }, value: Date | string | null) {
    return formatDate(value, this.ctx.locale, timeZone, true);
  });
  env.addFilter('number', function (this: { ctx: { locale: Locale } }, value: number) {
    return numberFormats[this.ctx.locale === 'fr' ? 'fr' : 'en'].format(value);
  });
  env.addFilter('bytes', (value: number) => formatBytes(value));
  /** Bilingual content in the page's language, wrapped with `lang` when it falls back to the other. */
  env.addFilter('text', function (this: { ctx: { locale: Locale } }, value: Bilingual | null | undefined) {
    const { text, lang } = pickText(value, this.ctx.locale);
    if (lang === this.ctx.locale || !text) return text;
    return new nunjucks.runtime.SafeString(`<span lang="${lang}">${escapeHtml(text)}</span>`);
  });
  /** Bilingual content as plain text (for attributes and titles), no markup. */
  env.addFilter('plaintext', function (this: { ctx: { locale: Locale } }, value: Bilingual | null | undefined) {
    return pickText(value, this.ctx.locale).text;
  });
}

/** Message key describing an audit action: `identity.account.registered` → `identity.events.account.registered`. */
export function eventKey(action: string): string {
  return action.replace(/^(\w+)\./, '$1.events.');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
