import fs from 'node:fs';
import path from 'node:path';

/** The languages every page and message exists in. */
export const locales = ['en', 'fr'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'en';

/** A message: a string with `{placeholders}`, or plural forms chosen by `Intl.PluralRules`. */
export type Message = string | Partial<Record<Intl.LDMLPluralRule, string>>;
export type Catalog = Map<string, Message>;
export type MessageParams = Record<string, string | number>;

/** Text written by people in both languages, stored per field as `{ en, fr }`. */
export type Bilingual = { en?: string; fr?: string };

const pluralForms = new Set<string>(['zero', 'one', 'two', 'few', 'many', 'other']);

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'fr';
}

export function otherLocale(locale: Locale): Locale {
  return locale === 'en' ? 'fr' : 'en';
}

/** A catalog source: a folder of message files, and the prefix its keys get. */
export interface CatalogSource {
  directory: string;
  /** Module id (keys become `<prefix>.<key>`), or '' for the kernel's own messages. */
  prefix: string;
}

/**
 * Reads each source's `<locale>.json`, and any `<part>.<locale>.json` (a large module may split its
 * messages by area; a part's keys get the part as a further prefix), flattened into dotted keys.
 */
export function loadCatalogs(sources: CatalogSource[]): Record<Locale, Catalog> {
  const catalogs = { en: new Map(), fr: new Map() } as Record<Locale, Catalog>;
  for (const source of sources) {
    if (!fs.existsSync(source.directory)) continue; // a module without messages of its own
    for (const file of fs.readdirSync(source.directory).sort()) {
      const match = /^(?:([a-z][\w-]*)\.)?(en|fr)\.json$/.exec(file);
      if (!match) continue;
      const [, part, locale] = match as unknown as [string, string | undefined, Locale];
      const prefix = [source.prefix, part].filter(Boolean).join('.');
      const json = JSON.parse(fs.readFileSync(path.join(source.directory, file), 'utf8')) as Record<string, unknown>;
      flatten(json, prefix, catalogs[locale], path.join(source.directory, file));
    }
  }
  return catalogs;
}

function flatten(node: Record<string, unknown>, prefix: string, into: Catalog, file: string) {
  for (const [key, value] of Object.entries(node)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (into.has(full)) throw new Error(`${file}: "${full}" is defined twice`);
    if (typeof value === 'string') into.set(full, value);
    else if (isPluralObject(value)) into.set(full, value as Message);
    else if (value && typeof value === 'object') flatten(value as Record<string, unknown>, full, into, file);
    else throw new Error(`${file}: "${full}" must be a string or an object`);
  }
}

function isPluralObject(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const keys = Object.keys(value);
  return keys.includes('other') && keys.every((k) => pluralForms.has(k) && typeof (value as Record<string, unknown>)[k] === 'string');
}

/** Placeholder names used by a message, e.g. `{count}`. */
export function placeholders(message: Message): string[] {
  const texts = typeof message === 'string' ? [message] : Object.values(message);
  const names = new Set<string>();
  for (const text of texts) for (const m of text!.matchAll(/\{(\w+)\}/g)) names.add(m[1]!);
  return [...names].sort();
}

/** Translator: looks up keys, picks plural forms, fills placeholders. */
export class Messages {
  private readonly pluralRules = { en: new Intl.PluralRules('en-CA'), fr: new Intl.PluralRules('fr-CA') };
  private readonly numberFormats = { en: new Intl.NumberFormat('en-CA'), fr: new Intl.NumberFormat('fr-CA') };

  constructor(readonly catalogs: Record<Locale, Catalog>) {}

  has(key: string): boolean {
    return this.catalogs.en.has(key);
  }

  /**
   * The message for `key` in `locale`. A missing key returns the key itself (and the i18n check
   * fails in CI), so a page never breaks because of a message.
   */
  t(locale: Locale, key: string, params: MessageParams = {}): string {
    const message = this.catalogs[locale].get(key) ?? this.catalogs.en.get(key);
    if (message === undefined) return key;
    let text: string;
    if (typeof message === 'string') text = message;
    else {
      const count = Number(params['count'] ?? 0);
      text = message[this.pluralRules[locale].select(count)] ?? message.other ?? key;
    }
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? this.numberFormats[locale].format(value) : value;
    });
  }

  /** A translator bound to one locale, as handed to templates and actions' callers. */
  forLocale(locale: Locale): Translate {
    return (key, params) => this.t(locale, key, params);
  }
}

export type Translate = (key: string, params?: MessageParams) => string;

/** The best supported locale for an `Accept-Language` header (q-values respected). */
export function negotiateLocale(header: string | undefined): Locale {
  if (!header) return defaultLocale;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.find((p) => p.trim().startsWith('q='));
      return { lang: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q.split('=')[1]) : 1 };
    })
    .filter((r) => r.q > 0 && !Number.isNaN(r.q))
    .sort((a, b) => b.q - a.q);
  for (const r of ranked) if (isLocale(r.lang)) return r.lang;
  return defaultLocale;
}

/** The locale a path starts with (`/fr/...`), if any. */
export function localeOfPath(url: string): Locale | undefined {
  const segment = url.split('/')[1]?.split('?')[0];
  return isLocale(segment) ? segment : undefined;
}

/** The same page in the other language: swaps the locale segment, keeps the query string. */
export function alternateUrl(url: string, to: Locale): string {
  const current = localeOfPath(url);
  if (!current) return `/${to}/`;
  return `/${to}${url.slice(current.length + 1)}`;
}

/** Picks the text for `locale` from a bilingual value, falling back to the other language. */
export function pickText(value: Bilingual | null | undefined, locale: Locale): { text: string; lang: Locale } {
  const own = value?.[locale]?.trim();
  if (own) return { text: own, lang: locale };
  const other = otherLocale(locale);
  return { text: value?.[other]?.trim() ?? '', lang: other };
}
