import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  alternateUrl,
  loadCatalogs,
  localeOfPath,
  Messages,
  negotiateLocale,
  pickText,
  placeholders,
  type Catalog,
  type Locale,
} from './index.js';

function catalog(entries: Record<string, string | Record<string, string>>): Catalog {
  return new Map(Object.entries(entries));
}

const messages = new Messages({
  en: catalog({
    greeting: 'Hello {name}, you have {count} new messages',
    files: { one: '{count} file', other: '{count} files' },
    onlyEnglish: 'Only in English',
    total: 'Total: {amount}',
  }),
  fr: catalog({
    greeting: 'Bonjour {name}, vous avez {count} nouveaux messages',
    files: { one: '{count} fichier', other: '{count} fichiers' },
    total: 'Total : {amount}',
  }),
} as Record<Locale, Catalog>);

describe('Messages.t', () => {
  it('fills placeholders, leaving strings as given', () => {
    expect(messages.t('en', 'greeting', { name: 'Ada', count: 3 })).toBe(
      'Hello Ada, you have 3 new messages',
    );
    expect(messages.t('fr', 'greeting', { name: '1234', count: 3 })).toBe(
      'Bonjour 1234, vous avez 3 nouveaux messages',
    );
  });

  it('formats numbers for the locale', () => {
    expect(messages.t('en', 'total', { amount: 1234567.5 })).toBe('Total: 1,234,567.5');
    // French (Canada): spaces between thousands (a no-break space), a comma for decimals.
    expect(messages.t('fr', 'total', { amount: 1234567.5 })).toMatch(/^Total : 1\s234\s567,5$/u);
    expect(messages.t('fr', 'total', { amount: 1234567.5 })).not.toContain(',234');
  });

  it('leaves a placeholder without a value visible rather than inventing one', () => {
    expect(messages.t('en', 'greeting', { name: 'Ada' })).toBe('Hello Ada, you have {count} new messages');
  });

  it('chooses English plural forms: only 1 is "one"', () => {
    expect(messages.t('en', 'files', { count: 0 })).toBe('0 files');
    expect(messages.t('en', 'files', { count: 1 })).toBe('1 file');
    expect(messages.t('en', 'files', { count: 2 })).toBe('2 files');
    expect(messages.t('en', 'files', { count: 1.5 })).toBe('1.5 files');
    expect(messages.t('en', 'files', { count: 1000 })).toBe('1,000 files');
  });

  it('chooses French plural forms: 0 and 1 (and 1.5) are "one"', () => {
    expect(messages.t('fr', 'files', { count: 0 })).toBe('0 fichier');
    expect(messages.t('fr', 'files', { count: 1 })).toBe('1 fichier');
    expect(messages.t('fr', 'files', { count: 1.5 })).toBe('1,5 fichier');
    expect(messages.t('fr', 'files', { count: 2 })).toBe('2 fichiers');
    // A million is "many" in French CLDR; without a "many" form the "other" form is used.
    expect(messages.t('fr', 'files', { count: 1_000_000 })).toMatch(/^1\s000\s000 fichiers$/u);
  });

  it('treats a missing count as 0', () => {
    expect(messages.t('fr', 'files')).toBe('{count} fichier');
    expect(messages.t('en', 'files')).toBe('{count} files');
  });

  it('falls back to English, then to the key itself', () => {
    expect(messages.t('fr', 'onlyEnglish')).toBe('Only in English');
    expect(messages.t('fr', 'no.such.key')).toBe('no.such.key');
    expect(messages.t('en', 'no.such.key', { a: 1 })).toBe('no.such.key');
  });

  it('binds a translator to one locale', () => {
    const t = messages.forLocale('fr');
    expect(t('files', { count: 2 })).toBe('2 fichiers');
    expect(messages.has('files')).toBe(true);
    expect(messages.has('nope')).toBe(false);
  });
});

describe('loadCatalogs', () => {
  it('flattens nested keys under the module prefix and recognises plural objects', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trillium-i18n-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'en.json'),
        JSON.stringify({ a: { b: 'Bee', count: { one: 'one {count}', other: 'many {count}' } } }),
      );
      fs.writeFileSync(
        path.join(dir, 'fr.json'),
        JSON.stringify({
          a: {
            b: 'Abeille',
            count: { one: 'un {count}', many: 'beaucoup {count}', other: 'plusieurs {count}' },
          },
        }),
      );
      const catalogs = loadCatalogs([{ directory: dir, prefix: 'probe' }]);
      expect(catalogs.en.get('probe.a.b')).toBe('Bee');
      expect(catalogs.fr.get('probe.a.count')).toEqual({
        one: 'un {count}',
        many: 'beaucoup {count}',
        other: 'plusieurs {count}',
      });
      const m = new Messages(catalogs);
      expect(m.t('fr', 'probe.a.count', { count: 1_000_000 })).toMatch(/^beaucoup 1\s000\s000$/u);
      fs.writeFileSync(path.join(dir, 'en.json'), JSON.stringify({ bad: 42 }));
      expect(() => loadCatalogs([{ directory: dir, prefix: '' }])).toThrow(
        /"bad" must be a string or an object/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists placeholders of plain and plural messages', () => {
    expect(placeholders('Hello {name}, {count} and {name}')).toEqual(['count', 'name']);
    expect(placeholders({ one: '{count} file in {folder}', other: '{count} files' })).toEqual([
      'count',
      'folder',
    ]);
  });
});

describe('negotiateLocale', () => {
  it('defaults to English', () => {
    expect(negotiateLocale(undefined)).toBe('en');
    expect(negotiateLocale('')).toBe('en');
    expect(negotiateLocale('de-DE, es;q=0.5')).toBe('en');
  });

  it('respects region tags, case and q-values', () => {
    expect(negotiateLocale('fr-CA,fr;q=0.9,en;q=0.8')).toBe('fr');
    expect(negotiateLocale('FR-ca')).toBe('fr');
    expect(negotiateLocale('en;q=0.5, fr;q=0.9')).toBe('fr');
    expect(negotiateLocale('en-GB;q=0.9, fr;q=0.91')).toBe('fr');
    expect(negotiateLocale('de, fr;q=0.1')).toBe('fr');
    expect(negotiateLocale('fr;q=0, en;q=0.1')).toBe('en');
    expect(negotiateLocale('fr;q=0')).toBe('en');
    expect(negotiateLocale('en;q=garbage, fr;q=0.2')).toBe('fr');
    expect(negotiateLocale(' fr ; q=0.7 , en ; q=0.6')).toBe('fr');
  });
});

describe('URLs in the other language', () => {
  it('localeOfPath reads the first segment only', () => {
    expect(localeOfPath('/fr/organizations')).toBe('fr');
    expect(localeOfPath('/en')).toBe('en');
    expect(localeOfPath('/en?x=1')).toBe('en');
    expect(localeOfPath('/english/x')).toBeUndefined();
    expect(localeOfPath('/api/v1/fr')).toBeUndefined();
  });

  it('alternateUrl swaps the locale and keeps the rest, query included', () => {
    expect(alternateUrl('/en/organizations/abc?q=road&page=2', 'fr')).toBe(
      '/fr/organizations/abc?q=road&page=2',
    );
    expect(alternateUrl('/fr/', 'en')).toBe('/en/');
    expect(alternateUrl('/fr', 'en')).toBe('/en');
    expect(alternateUrl('/en?notice=saved', 'fr')).toBe('/fr?notice=saved');
    expect(alternateUrl('/healthz', 'fr')).toBe('/fr/');
  });
});

describe('pickText', () => {
  it('prefers the requested language and says which one it gave', () => {
    expect(pickText({ en: 'Road', fr: 'Route' }, 'fr')).toEqual({ text: 'Route', lang: 'fr' });
    expect(pickText({ en: ' Road ', fr: 'Route' }, 'en')).toEqual({ text: 'Road', lang: 'en' });
  });

  it('falls back to the other language when missing or blank', () => {
    expect(pickText({ en: 'Road', fr: '   ' }, 'fr')).toEqual({ text: 'Road', lang: 'en' });
    expect(pickText({ fr: 'Route' }, 'en')).toEqual({ text: 'Route', lang: 'fr' });
    expect(pickText(null, 'en')).toEqual({ text: '', lang: 'fr' });
    expect(pickText(undefined, 'fr')).toEqual({ text: '', lang: 'en' });
  });
});

describe('message files split by area', () => {
  it('reads <part>.<locale>.json under the part’s prefix, and refuses a key defined twice', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trillium-locales-'));
    for (const locale of ['en', 'fr']) {
      fs.writeFileSync(path.join(dir, `${locale}.json`), JSON.stringify({ title: locale }));
      fs.writeFileSync(path.join(dir, `datastore.${locale}.json`), JSON.stringify({ load: { title: `${locale} load` } }));
    }
    const catalogs = loadCatalogs([{ directory: dir, prefix: 'catalogue' }]);
    expect(catalogs.fr.get('catalogue.title')).toBe('fr');
    expect(catalogs.fr.get('catalogue.datastore.load.title')).toBe('fr load');
    fs.writeFileSync(path.join(dir, 'en.json'), JSON.stringify({ datastore: { load: { title: 'clash' } } }));
    expect(() => loadCatalogs([{ directory: dir, prefix: 'catalogue' }])).toThrow(/defined twice/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('formatDate', () => {
  it('shows a calendar date as the same day in every time zone, and instants in the installation’s zone', async () => {
    const { formatDate } = await import('../views/index.js');
    expect(formatDate('2021-07-13', 'fr', 'America/Toronto')).toBe('13 juillet 2021');
    expect(formatDate(new Date('2021-07-13T02:00:00Z'), 'en', 'America/Toronto')).toBe('July 12, 2021');
  });
});
