import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { makeOrganization } from '../../identity/test/factories.js';
import { queryResourceData } from '../actions/datastore-query.js';
import { saveSchema } from '../actions/datastore.js';
import { getResource, removeResource } from '../actions/resources.js';
import { stagingTables } from '../datastore/store.js';
import { dataStandards, resources } from '../schema.js';
import { eq, sql } from 'drizzle-orm';
import { catalogueDeps, makeDataset } from './factories.js';
import { ontarioDir, replaceFile, runJobs, systemCtx, uploadResource } from './datastore-support.js';

let t: TestApp;
let orgId: string;
let datasetId: string;

beforeAll(async () => {
  t = await createTestApp();
  orgId = (await makeOrganization(t.app)).id;
  datasetId = (await makeDataset(t.app, orgId, { link: false })).id;
});
afterAll(async () => t?.close());

async function row(id: string) {
  return (await getResource(catalogueDeps(t.app), systemCtx, datasetId, id)).resource;
}

async function load(name: string, content: Buffer | string) {
  const resource = await uploadResource(t.app, datasetId, name, content);
  await runJobs(t.app).catch(() => 0);
  return row(resource.id);
}

async function records(resourceId: string, raw: Record<string, unknown> = {}) {
  return queryResourceData(catalogueDeps(t.app), systemCtx, datasetId, resourceId, { limit: 1000, ...raw });
}

function problem(r: Awaited<ReturnType<typeof row>>, kind: string, field?: string) {
  return r.validation?.problems.find(
    (p) => p.kind === kind && (field === undefined || p.examples.some((e) => e.field === field)),
  );
}

describe('datastore loader', () => {
  it('loads the real Ontario assessment centre CSVs (2,830 rows × 50 columns) with inferred types and indexes', async () => {
    for (const file of fs.readdirSync(ontarioDir)) {
      const resource = await uploadResource(
        t.app,
        datasetId,
        file,
        fs.readFileSync(new URL(file, ontarioDir)),
      );
      expect(resource.loadStatus).toBe('queued');
      await runJobs(t.app);
      const r = await row(resource.id);
      expect(r.loadStatus, JSON.stringify(r.validation)).toBe('loaded');
      expect(r.datastoreRows).toBe(2830);
      expect(r.datastoreTable).toBe(resource.id);
      expect(r.tableSchema!.fields).toHaveLength(50);
      const types = Object.fromEntries(r.tableSchema!.fields.map((f) => [f.name, f.type]));
      expect(types).toMatchObject({
        location_id: 'integer',
        latitude: 'number',
        longitude: 'number',
        active: 'boolean',
        city: 'string',
        postal_code: 'string',
        weeks_pregnant: 'string',
      });
      expect(problem(r, 'missing-value', 'location_name_fr')?.count).toBeGreaterThan(2000);
      const page = await records(resource.id, { filters: JSON.stringify({ city: 'Toronto' }), limit: 5 });
      expect(page.total).toBeGreaterThan(200);
      expect(page.records[0]).toMatchObject({ city: 'Toronto' });
      const [french] = (await records(resource.id, { q: 'Timiskaming', fields: 'phu,city' })).records;
      expect(french).toMatchObject({ phu: 'Timiskaming Health Unit' });
      const indexes = await t.database.db.execute(
        sql`select indexdef from pg_indexes where schemaname = 'datastore' and tablename = ${resource.id}`,
      );
      const defs = (indexes as unknown as { rows: Array<{ indexdef: string }> }).rows
        .map((i) => i.indexdef)
        .join('\n');
      expect(defs).toContain('gin');
      expect(defs).toContain('(city, _id)');
      expect(defs).not.toContain('(additional_information)');
    }
  });

  it('detects semicolons, tabs and pipes, a byte-order mark, and Windows-1252 (Latin-1) text', async () => {
    for (const [name, text] of [
      ['semicolon.csv', 'nom;valeur\nÉcole;1\nCafé;2\n'],
      ['tab.tsv', 'nom\tvaleur\nÉcole\t1\nCafé\t2\n'],
      ['pipe.csv', 'nom|valeur\nÉcole|1\nCafé|2\n'],
      ['bom.csv', '\uFEFFnom,valeur\nÉcole,1\nCafé,2\n'],
    ] as const) {
      const r = await load(name, text);
      expect(r.loadStatus, name).toBe('loaded');
      expect(
        r.tableSchema!.fields.map((f) => f.name),
        name,
      ).toEqual(['nom', 'valeur']);
      expect(
        (await records(r.id)).records.map((x) => x['nom']),
        name,
      ).toEqual(['École', 'Café']);
    }
    const latin1 = Buffer.from('nom,ville\nÉcole,Montréal\nCafé,Québec\n', 'latin1');
    const r = await load('latin1.csv', latin1);
    expect(r.loadStatus).toBe('loaded');
    expect(r.validation!.valid).toBe(true);
    expect((await records(r.id)).records.map((x) => x['ville'])).toEqual(['Montréal', 'Québec']);
  });

  it('gives blank and repeated headers unique names, and reports them', async () => {
    const r = await load('headers.csv', 'a,,a,_id\n1,2,3,4\n');
    expect(r.tableSchema!.fields.map((f) => f.name)).toEqual(['a', 'field_2', 'a_2', '_id_2']);
    expect(problem(r, 'blank-header')?.count).toBe(1);
    expect(
      r.validation!.problems.filter((p) => p.kind === 'duplicate-header').map((p) => p.examples[0]!.field),
    ).toEqual(['a_2', '_id_2']);
  });

  it('infers integer, number, boolean, date, datetime and string, with NA and N/A as missing values', async () => {
    const csv = [
      'id,amount,flag,day,at,code,note',
      '1,1.5,yes,2021-07-08,2021-07-08T10:00:00,007,x',
      '2,NA,No,2021-07-09,2021-07-09 11:30,010,N/A',
      '3,-2e3,TRUE,,2021-07-10T00:00:00Z,,y',
    ].join('\n');
    const r = await load('types.csv', csv);
    expect(Object.fromEntries(r.tableSchema!.fields.map((f) => [f.name, f.type]))).toEqual({
      id: 'integer',
      amount: 'number',
      flag: 'boolean',
      day: 'date',
      at: 'datetime',
      code: 'string',
      note: 'string',
    });
    const rows = (await records(r.id, { sort: 'id' })).records;
    expect(rows[0]).toMatchObject({
      _id: 1,
      id: 1,
      amount: 1.5,
      flag: true,
      day: '2021-07-08',
      at: '2021-07-08T10:00:00',
      code: '007',
    });
    expect(rows[1]).toMatchObject({ amount: null, flag: false, note: null });
    expect(rows[2]).toMatchObject({ amount: -2000, day: null, at: '2021-07-10T00:00:00' });
    expect(r.validation!.valid).toBe(true);
  });

  it('loads what it can from a malformed file (ragged rows, bad bytes, bad dates) and names rows and columns', async () => {
    const lines = ['id,day,name'];
    for (let i = 1; i <= 12_000; i++)
      lines.push(`${i},2021-01-${String((i % 28) + 1).padStart(2, '0')},n${i}`);
    lines.push('12001,2021-02-30,bad date');
    lines.push('12002,2021-03-01');
    lines.push('12003,2021-03-02,extra,cells');
    const bytes = Buffer.concat([
      Buffer.from(lines.join('\n') + '\n'),
      Buffer.from('12004,2021-03-03,caf'),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    const r = await load('broken.csv', bytes);
    expect(r.loadStatus).toBe('loaded');
    expect(r.datastoreRows).toBe(12_004);
    expect(r.validation!.valid).toBe(false);
    expect(problem(r, 'type-error', 'day')!.examples[0]).toMatchObject({
      row: 12_002,
      field: 'day',
      value: '2021-02-30',
      message: 'date',
    });
    expect(problem(r, 'missing-cell')!.examples[0]).toMatchObject({ row: 12_003, field: 'name' });
    expect(problem(r, 'extra-cell')!.examples[0]).toMatchObject({ row: 12_004, value: 'cells' });
    expect(problem(r, 'encoding-error')!.examples[0]).toMatchObject({ row: 12_005, field: 'name' });
    const bad = await records(r.id, { filters: JSON.stringify({ id: 12001 }) });
    expect(bad.records[0]).toMatchObject({ day: null, name: 'bad date' });
  });

  it('reports duplicate primary keys and checks a data standard', async () => {
    const [standard] = await t.database.db
      .insert(dataStandards)
      .values({
        name: `std-${Date.now()}`,
        version: '1',
        title: { en: 'Sites', fr: 'Sites' },
        organizationId: orgId,
        schema: {
          fields: [
            { name: 'code', type: 'string', constraints: { required: true, pattern: '[A-Z]{2}' } },
            { name: 'count', type: 'integer', constraints: { minimum: 0 } },
            { name: 'region', type: 'string' },
          ],
          primaryKey: ['code'],
        },
      })
      .returning();
    const stored = await uploadResource(
      t.app,
      datasetId,
      'std.csv',
      'code,count,extra\nAB,1,x\nAB,2,y\nx1,-1,z\n,3,w\n',
    );
    // The standards registry sets standardId; here it is set directly.
    await t.database.db
      .update(resources)
      .set({ standardId: standard!.id })
      .where(eq(resources.id, stored.id));
    const { loadAgain } = await import('../actions/datastore.js');
    await loadAgain(catalogueDeps(t.app), systemCtx, datasetId, stored.id);
    await runJobs(t.app);
    const r = await row(stored.id);
    expect(r.loadStatus).toBe('loaded');
    expect(problem(r, 'duplicate-primary-key')).toMatchObject({
      count: 1,
      examples: [{ row: 3, field: 'code', value: 'AB' }],
    });
    expect(problem(r, 'missing-field', 'region')).toBeDefined();
    expect(problem(r, 'extra-field', 'extra')).toBeDefined();
    const rules = r
      .validation!.problems.filter((p) => p.kind === 'constraint-error')
      .flatMap((p) => p.examples.map((e) => `${e.row}:${e.field}:${e.message}`));
    expect(rules).toEqual(expect.arrayContaining(['4:code:pattern', '4:count:minimum', '5:code:required']));
  });

  it('keeps the previous version live when a reload fails, and never shows a half-loaded table', async () => {
    const r = await load('good.csv', 'id,name\n1,one\n2,two\n');
    expect(r.loadStatus).toBe('loaded');
    await replaceFile(t.app, datasetId, r.id, 'bad.csv', 'id,name\n1,one\n2,"unclosed\n3,three\n');
    await expect(runJobs(t.app)).resolves.toBeGreaterThan(0);
    const after = await row(r.id);
    expect(after.loadStatus).toBe('failed');
    expect(after.datastoreTable).toBe(r.id);
    expect(after.datastoreRows).toBe(2);
    expect(problem(after, 'parse-error')).toBeDefined();
    expect((await records(r.id)).records.map((x) => x['name'])).toEqual(['one', 'two']);
    expect(await stagingTables(t.database.db, r.id)).toEqual([]);
    const job = await t.app.kernel.jobs.get(after.loadJobId!);
    expect(job!.status).toBe('failed');
  });

  it('reloads with the schema an editor corrected; a value that no longer fits is reported', async () => {
    const r = await load('codes.csv', 'code,amount\n100,5\n200,6\n');
    expect(r.tableSchema!.fields.map((f) => f.type)).toEqual(['integer', 'integer']);
    await expect(
      saveSchema(catalogueDeps(t.app), systemCtx, datasetId, r.id, {
        fields: [
          { name: 'code', type: 'weird' },
          { name: 'amount', type: 'integer' },
        ],
      }),
    ).rejects.toMatchObject({
      fields: [{ field: 'fields[0].type' }],
    });
    await expect(
      saveSchema(catalogueDeps(t.app), systemCtx, datasetId, r.id, {
        fields: [{ name: 'other', type: 'string' }],
      }),
    ).rejects.toMatchObject({ fields: [{ field: 'fields' }] });
    await saveSchema(catalogueDeps(t.app), systemCtx, datasetId, r.id, {
      'type-0': 'string',
      'type-1': 'boolean',
      primaryKey: 'code',
    });
    expect((await row(r.id)).loadStatus).toBe('queued');
    await runJobs(t.app);
    const after = await row(r.id);
    expect(after.loadStatus).toBe('loaded');
    expect(after.tableSchema).toMatchObject({
      fields: [
        { name: 'code', type: 'string' },
        { name: 'amount', type: 'boolean' },
      ],
      primaryKey: ['code'],
    });
    expect((await records(r.id)).records[0]).toMatchObject({ code: '100', amount: null });
    expect(problem(after, 'type-error', 'amount')?.count).toBe(2);
  });

  it('drops the data table with its resource', async () => {
    const r = await load('gone.csv', 'a\n1\n');
    await removeResource(catalogueDeps(t.app), systemCtx, datasetId, r.id);
    const { liveColumns } = await import('../datastore/store.js');
    expect(await liveColumns(t.database.db, r.id)).toBeNull();
  });

  it('fails an empty file with a report', async () => {
    const r = await load('empty.csv', '\n\n');
    expect(r.loadStatus).toBe('failed');
    expect(problem(r, 'parse-error')).toBeDefined();
  });
});
