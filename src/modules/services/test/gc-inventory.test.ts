import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  parseServiceInventory,
  parseServiceStandards,
  type GcServiceRecord,
} from '../inventory/gc-inventory.js';

/**
 * Real rows of the Government of Canada Service Inventory 2023-24, copied unchanged into test/data
 * (OGL-Canada 2.0: contains information licensed under the Open Government Licence – Canada).
 */
const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../test/data/services');
const siSample = fs.readFileSync(path.join(dataDir, 'si_sample.csv'));
const ssSample = fs.readFileSync(path.join(dataDir, 'ss_sample.csv'));

const inventory = parseServiceInventory(siSample);
const standards = parseServiceStandards(ssSample);

function service(code: string): GcServiceRecord {
  const found = inventory.services.find((s) => s.code === code);
  if (!found) throw new Error(`service ${code} not parsed`);
  return found;
}

function standard(serviceCode: string, code: string) {
  const found = standards.standards.find((s) => s.serviceCode === serviceCode && s.code === code);
  if (!found) throw new Error(`standard ${code} of ${serviceCode} not parsed`);
  return found;
}

/** The sample's header with `fields` set on an otherwise empty row, for broken rows built inline. */
function csvWith(sample: Buffer, rows: Array<Record<string, string>>): string {
  const header = sample
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split('\r\n')[0]!;
  const columns = header.split(',');
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header, ...rows.map((r) => columns.map((c) => quote(r[c] ?? '')).join(','))].join('\r\n') + '\r\n';
}

describe('parseServiceInventory', () => {
  it('reads every service of the sample once, without problems', () => {
    expect(inventory.problems).toEqual([]);
    expect(inventory.services).toHaveLength(25);
    expect(new Set(inventory.services.map((s) => s.code)).size).toBe(25);
  });

  it('maps a whole row: organization split, quotes stripped, counts, channels and online points', () => {
    expect(service('3595')).toEqual({
      code: '3595',
      fiscalYear: '2023-2024',
      organization: {
        slug: 'atssc-scdata',
        name: {
          en: 'Administrative Tribunals Support Service of Canada',
          fr: "Service canadien d'appui aux tribunaux administratifs",
        },
      },
      name: { en: 'ATSSC Law Library Services', fr: 'Services de Bibliothèque du SCDATA' },
      description: {
        en: expect.stringMatching(
          /^The ATSSC Law Library Services provides essential support .* the needs of the community are met\.$/,
        ),
        fr: expect.stringMatching(
          /^Les services de bibliothèque du SCDATA assurent .* dans leurs recherches de ressources\.$/,
        ),
      },
      programCode: 'ISSA6',
      // The file has 'Information Management Services' and "Services de gestion de l'information".
      programName: { en: 'Information Management Services', fr: "Services de gestion de l'information" },
      serviceTypes: ['INFO'],
      clientTypes: ['INTERN_GOV'],
      // Fax and other are NA; phone and online enquiries are ND, which still means the channel is used.
      channels: ['online', 'in_person', 'phone', 'mail', 'email'],
      onlineEnablement: {
        accountRegistration: 'yes',
        authentication: 'no',
        application: 'no',
        decision: 'no',
        issuance: 'no',
        feedback: 'no',
      },
      chargesFee: false,
      url: null,
      volumes: [
        { channel: 'online', completed: 1, missing: null },
        { channel: 'in_person', completed: 10, missing: null },
        { channel: 'phone', completed: 2, missing: null },
        { channel: 'mail', completed: 1, missing: null },
        { channel: 'email', completed: 300, missing: null },
        { channel: 'fax', completed: null, missing: 'not_applicable' },
        { channel: 'other', completed: null, missing: 'not_applicable' },
      ],
      periodStart: '2023-04-01',
      periodEnd: '2024-03-31',
    });
  });

  it('keeps ND (no data) and NA (not applicable) apart from each other and from zero', () => {
    const customs = service('680');
    expect(customs.volumes).toEqual([
      { channel: 'online', completed: null, missing: 'not_applicable' },
      { channel: 'in_person', completed: null, missing: 'no_data' },
      { channel: 'phone', completed: null, missing: 'no_data' },
      { channel: 'mail', completed: null, missing: 'not_applicable' },
      { channel: 'email', completed: null, missing: 'no_data' },
      { channel: 'fax', completed: null, missing: 'not_applicable' },
      { channel: 'other', completed: 801, missing: null },
    ]);
    // Online is offered because the site had 1,672 visits, though applications online are NA.
    expect(customs.channels).toEqual(['online', 'in_person', 'phone', 'email', 'other']);
    expect(customs).toMatchObject({
      serviceTypes: ['APIR', 'REG_VOL'],
      chargesFee: true,
      onlineEnablement: { accountRegistration: 'not_applicable', feedback: 'not_applicable' },
      url: {
        en: 'https://www.cbsa-asfc.gc.ca/publications/dm-md/d1/d1-2-1-eng.html',
        fr: 'https://www.cbsa-asfc.gc.ca/publications/dm-md/d1/d1-2-1-fra.html',
      },
    });

    // A reported zero stays a number.
    const grants = service('851');
    expect(grants.volumes.find((v) => v.channel === 'online')).toEqual({
      channel: 'online',
      completed: 0,
      missing: null,
    });
    expect(grants.volumes.find((v) => v.channel === 'email')).toEqual({
      channel: 'email',
      completed: 517,
      missing: null,
    });
  });

  it('offers online when the application can be made online even with every count NA', () => {
    const buildings = service('2377');
    expect(buildings.volumes.every((v) => v.completed === null && v.missing === 'not_applicable')).toBe(true);
    expect(buildings.channels).toEqual(['online']);
    expect(buildings.url).toBeNull();
    expect(buildings.programName).toEqual({
      en: 'Allocation-based and Direct Funding Stewardship',
      fr: "Gérance du financement fondé sur l'allocation et du financement direct",
    });
  });

  it('lists the programs of a service that belongs to several, without the quotes', () => {
    expect(service('851')).toMatchObject({
      programCode: 'BLL01,BLL02,BLL03,BLL04',
      programName: {
        en: 'Business innovation and growth; Vitality of communities; Targeted or temporary support; Regional Innovation',
        fr: 'Innovation et croissance des entreprises; Vitalité des collectivités; Soutien ponctuel ou ciblé; Innovation régionale',
      },
      clientTypes: ['ECONOM', 'NGO', 'PTC'],
    });
  });

  it('keeps the newest fiscal year of a service reported in two', () => {
    expect(inventory.services.filter((s) => s.code === 'SRV02975')).toHaveLength(1);
    expect(service('SRV02975')).toMatchObject({
      fiscalYear: '2024-2025',
      periodStart: '2024-04-01',
      periodEnd: '2025-03-31',
      organization: {
        slug: 'rcmp-grc',
        name: { en: 'Royal Canadian Mounted Police', fr: 'Gendarmerie royale du Canada' },
      },
      serviceTypes: ['APIR', 'INFO', 'LRP'],
    });
  });

  it('reports rows without a service ID or name as problems and keeps the good rows', () => {
    const counts = Object.fromEntries(
      ['online', 'in_person', 'by_phone', 'by_mail', 'by_email', 'by_fax', 'by_other'].map((c) => [
        `num_applications_${c}`,
        'NA',
      ]),
    );
    const good = {
      fiscal_yr: '2023-2024',
      service_id: 'T1',
      service_name_en: 'Test',
      service_name_fr: 'Essai',
      owner_org: 'tbs-sct',
      owner_org_title: 'Treasury Board of Canada Secretariat | Secrétariat du Conseil du Trésor du Canada',
      ...counts,
    };
    const csv = csvWith(siSample, [
      good,
      { ...good, service_id: '' },
      { ...good, service_id: 'T3', service_name_fr: ' ' },
      { ...good, service_id: 'T4', fiscal_yr: '2023' },
      {
        ...good,
        service_id: 'T5',
        num_applications_online: ' 1 204 ',
        num_applications_in_person: '',
        num_applications_by_mail: 'lots',
        os_decision: 'maybe',
      },
    ]);
    const result = parseServiceInventory(csv);
    expect(result.services.map((s) => s.code)).toEqual(['T1', 'T5']);
    expect(result.problems).toEqual([
      { row: 3, message: 'skipped: missing service_id' },
      { row: 4, message: 'skipped service T3: missing service name (English and French)' },
      { row: 5, message: 'skipped service T4: missing a fiscal year (YYYY-YYYY)' },
      { row: 6, message: 'service T5: num_applications_in_person is empty; recorded as no data' },
      {
        row: 6,
        message: "service T5: num_applications_by_mail 'lots' is not a count, ND or NA; recorded as no data",
      },
      { row: 6, message: "service T5: os_decision 'maybe' is not Y, N or NA and was left out" },
    ]);
    const t5 = result.services[1]!;
    expect(t5.volumes.slice(0, 4)).toEqual([
      { channel: 'online', completed: 1204, missing: null },
      { channel: 'in_person', completed: null, missing: 'no_data' },
      { channel: 'phone', completed: null, missing: 'not_applicable' },
      { channel: 'mail', completed: null, missing: 'no_data' },
    ]);
    expect(t5.onlineEnablement).toEqual({});
    // An empty count is no evidence that the channel is used; an unreadable one counts like ND.
    expect(t5.channels).toEqual(['online', 'mail']);
  });

  it('reports a file that is not CSV instead of throwing', () => {
    const result = parseServiceInventory('service_id,service_name_en\n"3595,unclosed\n');
    expect(result.services).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.message).toMatch(/could not be read as CSV/);
  });
});

describe('parseServiceStandards', () => {
  it('reads every standard of the sample, without problems', () => {
    expect(standards.problems).toEqual([]);
    expect(standards.standards).toHaveLength(30);
  });

  it('maps a whole row', () => {
    expect(standard('2224', '3261')).toEqual({
      serviceCode: '2224',
      code: '3261',
      name: {
        en: 'Answer calls received within 60 seconds',
        fr: 'On répond aux appels dans un délai de 60 secondes',
      },
      type: 'timeliness',
      channel: 'phone',
      target: 0.9,
      volumeMeetingTarget: 31283,
      totalVolume: 31689,
      url: {
        en: 'https://agriculture.canada.ca/en/agricultural-programs-and-services/agristability/resources/service-standard-statistics#a1',
        fr: 'https://agriculture.canada.ca/fr/programmes-services-agricoles/agri-stabilite/ressources/statistiques-normes-service#a1',
      },
      periodStart: '2023-04-01',
      periodEnd: '2024-03-31',
    });
  });

  it('maps types and channels, and leaves empty values and placeholder URLs null', () => {
    expect(standard('150', '3224')).toMatchObject({ type: 'access', channel: 'email', target: 0.8 });
    expect(standard('1713', '2622')).toMatchObject({ type: 'accuracy', target: 1, url: null });
    expect(standard('1817', '2732')).toMatchObject({ type: 'other', channel: 'phone' });
    expect(standard('716', '724')).toMatchObject({ channel: 'other', url: null });
    expect(standard('1887', '2190')).toMatchObject({
      type: 'timeliness',
      channel: 'other',
      target: null,
      volumeMeetingTarget: null,
      totalVolume: null,
      url: null,
    });
    // A zero target is a target, not a missing one.
    expect(standard('1117', 'STAN00001502').target).toBe(0);
  });

  it('reports broken rows as problems', () => {
    const good = {
      fiscal_yr: '2023-2024',
      service_id: 'T1',
      service_standard_id: 'S1',
      service_standard_en: 'Reply in 5 days',
      service_standard_fr: 'Réponse en 5 jours',
      type: 'TML',
      channel: 'EML',
      target: ' 0.9 ',
    };
    const result = parseServiceStandards(
      csvWith(ssSample, [
        good,
        { ...good, service_standard_id: 'S2', type: 'XYZ' },
        { ...good, service_id: '' },
        { ...good, service_standard_id: 'S4', channel: 'SMS', target: '90' },
      ]),
    );
    expect(result.standards.map((s) => [s.code, s.target, s.channel])).toEqual([
      ['S1', 0.9, 'email'],
      ['S4', null, null],
    ]);
    expect(result.problems).toEqual([
      { row: 3, message: "skipped standard S2: missing a known type (TML, ACS, ACY, OTH; found 'XYZ')" },
      { row: 4, message: 'skipped standard S1: missing service_id' },
      { row: 5, message: "standard S4 of service T1: channel 'SMS' is unknown and was left out" },
      { row: 5, message: "standard S4 of service T1: target '90' is not a share between 0 and 1; left out" },
    ]);
  });
});
