import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { TestClient } from '../../../../test/support/client.js';
import { makeAccount, makeOrganization } from '../../identity/test/factories.js';
import { queryResourceData } from '../actions/datastore-query.js';
import type { Resource } from '../types.js';
import { catalogueDeps, makeDataset } from './factories.js';
import { runJobs, systemCtx, uploadResource } from './datastore-support.js';

let t: TestApp;
let open: { dataset: string; resource: Resource };
let restricted: { dataset: string; resource: Resource };
let editor: { email: string; password: string };
const regions = ['North', 'South', 'East', 'West', 'Central'];
const rowCount = 3000;

beforeAll(async () => {
  t = await createTestApp();
  const org = await makeOrganization(t.app);
  editor = await makeAccount(t.app, { roles: [[org.id, ['editor']]] });
  const lines = ['id,region,amount,day,note'];
  // Rows 3, 6, 9… have no amount: sorting must page through nulls too.
  for (let i = 1; i <= rowCount; i++)
    lines.push(
      `${i},${regions[i % 5]},${i % 3 === 0 ? '' : (i * 7) % 101},2021-01-${String((i % 28) + 1).padStart(2, '0')},"note ${i % 10 === 0 ? 'bridge repair' : 'road'}, ""quoted"""`,
    );
  const dataset = await makeDataset(t.app, org.id, { link: false });
  open = {
    dataset: dataset.name,
    resource: await uploadResource(t.app, dataset.id, 'roads.csv', lines.join('\n')),
  };
  const hidden = await makeDataset(t.app, org.id, {
    link: false,
    accessLevel: 'restricted',
    exemptionReasonEn: 'Security',
    exemptionReasonFr: 'Sécurité',
  });
  restricted = {
    dataset: hidden.name,
    resource: await uploadResource(t.app, hidden.id, 'secret.csv', 'id,secret\n1,s\n'),
  };
  await runJobs(t.app);
});
afterAll(async () => t?.close());

const base = () => `/api/v1/datasets/${open.dataset}/resources/${open.resource.id}`;

describe('datastore query API', () => {
  it('filters (JSON or field=value), searches full text, selects fields and sorts', async () => {
    const client = new TestClient(t.app);
    const byParam = JSON.parse(
      (await client.get(`${base()}/data?region=North&fields=id,region&sort=id%20desc&limit=3`)).body,
    );
    expect(byParam.items.map((r: { id: number }) => r.id)).toEqual([3000, 2995, 2990]);
    expect(byParam.items[0]).toEqual({ _id: 3000, id: 3000, region: 'North' });
    expect(byParam.total).toBe(600);
    expect(byParam.fields).toEqual([
      { id: '_id', type: 'integer' },
      { id: 'id', type: 'integer' },
      { id: 'region', type: 'string' },
    ]);
    const byJson = JSON.parse(
      (
        await client.get(
          `${base()}/data?filters=${encodeURIComponent(JSON.stringify({ region: ['North', 'South'], amount: 7 }))}`,
        )
      ).body,
    );
    expect(
      byJson.items.every(
        (r: { region: string; amount: number }) => ['North', 'South'].includes(r.region) && r.amount === 7,
      ),
    ).toBe(true);
    const text = JSON.parse((await client.get(`${base()}/data?q=bridge&limit=1000`)).body);
    expect(text.total).toBe(300);
  });

  it('names the parameter in errors', async () => {
    const client = new TestClient(t.app);
    for (const [query, param] of [
      ['filters=%7Bbad', 'filters'],
      ['filters=%7B%22nope%22%3A1%7D', 'filters'],
      ['filters=%7B%22amount%22%3A%22abc%22%7D', 'filters'],
      ['sort=nope', 'sort'],
      ['fields=nope', 'fields'],
      ['limit=-1', 'limit'],
      ['limit=40000', 'limit'],
      ['after=garbage', 'after'],
    ]) {
      const response = await client.get(`${base()}/data?${query}`);
      expect(response.statusCode, query).toBe(422);
      expect(response.body, query).toContain(param);
    }
  });

  it('pages with an opaque keyset cursor through every row exactly once, whatever the sort (nulls included)', async () => {
    for (const sort of ['', 'amount', 'amount desc, region', 'day desc']) {
      const seen: number[] = [];
      let url: string | null = `${base()}/data?limit=700${sort ? `&sort=${encodeURIComponent(sort)}` : ''}`;
      let pages = 0;
      while (url && pages++ < 20) {
        const body = JSON.parse((await t.app.inject({ method: 'GET', url })).body);
        seen.push(...body.items.map((r: { _id: number }) => r._id));
        url = body.next;
      }
      expect(seen.length, sort).toBe(rowCount);
      expect(new Set(seen).size, sort).toBe(rowCount);
      const offsetOrder = (
        await queryResourceData(catalogueDeps(t.app), systemCtx, open.dataset, open.resource.id, {
          sort,
          limit: rowCount,
        })
      ).records.map((r) => r['_id']);
      expect(seen, sort).toEqual(offsetOrder);
    }
  });

  it('estimates totals above the exact-count limit, and counts exactly below it', async () => {
    const estimated = await queryResourceData(
      catalogueDeps(t.app),
      systemCtx,
      open.dataset,
      open.resource.id,
      { filters: { region: ['North', 'South', 'East'] } },
      { exactCountLimit: 100 },
    );
    expect(estimated.totalEstimated).toBe(true);
    expect(estimated.total).toBeGreaterThan(900);
    expect(estimated.total).toBeLessThan(2700);
    const exact = await queryResourceData(catalogueDeps(t.app), systemCtx, open.dataset, open.resource.id, {
      filters: { region: ['North', 'South', 'East'] },
    });
    expect(exact).toMatchObject({ total: 1800, totalEstimated: false });
    const unfiltered = await queryResourceData(
      catalogueDeps(t.app),
      systemCtx,
      open.dataset,
      open.resource.id,
      {},
      { exactCountLimit: 100 },
    );
    expect(unfiltered).toMatchObject({ total: rowCount, totalEstimated: false });
  });

  it('streams any query as CSV and JSON', async () => {
    const csv = await t.app.inject({ method: 'GET', url: `${base()}/data.csv?region=West&sort=id` });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('roads.csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('_id,id,region,amount,day,note');
    expect(lines).toHaveLength(601);
    expect(lines[1]).toBe('3,3,West,,2021-01-04,"note road, ""quoted"""');
    const all = await t.app.inject({ method: 'GET', url: `${base()}/data?format=csv` });
    expect(all.body.trim().split('\r\n')).toHaveLength(rowCount + 1);
    const json = JSON.parse(
      (await t.app.inject({ method: 'GET', url: `${base()}/data.json?q=bridge&fields=id&limit=250` })).body,
    );
    expect(json.fields).toEqual([
      { id: '_id', type: 'integer' },
      { id: 'id', type: 'integer' },
    ]);
    expect(json.records).toHaveLength(250);
    expect(json.records[0]).toEqual({ _id: 10, id: 10 });
  });

  it('shows restricted data to the owning organization only', async () => {
    const url = `/api/v1/datasets/${restricted.dataset}/resources/${restricted.resource.id}/data`;
    expect((await new TestClient(t.app).get(url)).statusCode).toBe(404);
    const client = new TestClient(t.app);
    await client.signIn(editor.email, editor.password);
    expect(JSON.parse((await client.get(url)).body).items).toEqual([{ _id: 1, id: 1, secret: 's' }]);
  });

  it('shows the preview, the report, progress and API examples on the resource page, in both languages', async () => {
    const client = new TestClient(t.app);
    await client.signIn(editor.email, editor.password);
    const page = await client.get(`/en/datasets/${open.dataset}/resources/${open.resource.id}?page=2`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(
      '<caption class="govuk-table__caption govuk-table__caption--s" id="preview-caption">Rows of roads.csv, page 2 of 150</caption>',
    );
    expect(page.body).toContain('<th scope="col" class="govuk-table__header">region</th>');
    expect(page.body).toContain('data-job-progress');
    expect(page.body).toContain('datastore_search?resource_id=');
    expect(page.body).toContain('No problems found.');
    const fr = await new TestClient(t.app).get(`/fr/datasets/${open.dataset}/resources/${open.resource.id}`);
    expect(fr.body).toContain('Exemples d’API pour cette ressource');
    expect(fr.body).not.toContain('data-job-progress');
    const form = await client.get(`/en/datasets/${open.dataset}/resources/${open.resource.id}/schema`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="type-2"');
    const saved = await client.post(
      `/en/datasets/${open.dataset}/resources/${open.resource.id}/schema`,
      { 'type-0': 'integer', 'type-1': 'string', 'type-2': 'nope' },
      { csrfFrom: `/en/datasets/${open.dataset}/resources/${open.resource.id}/schema` },
    );
    expect(saved.statusCode).toBe(422);
    expect(saved.body).toContain('Choose a type for amount');
  });
});

describe('CKAN datastore actions', () => {
  const action = async (name: string, params: Record<string, string>, client = new TestClient(t.app)) => {
    const response = await client.get(`/api/3/action/${name}?${new URLSearchParams(params)}`);
    return { status: response.statusCode, body: JSON.parse(response.body) };
  };

  it('datastore_search answers in CKAN’s envelope with fields, records, total and _links', async () => {
    const { status, body } = await action('datastore_search', {
      resource_id: open.resource.id,
      filters: JSON.stringify({ region: 'East' }),
      sort: 'id',
      limit: '2',
    });
    expect(status).toBe(200);
    expect(body.success).toBe(true);
    expect(body.help).toBeDefined();
    expect(body.result).toMatchObject({
      resource_id: open.resource.id,
      total: 600,
      total_was_estimated: false,
      limit: 2,
      offset: 0,
      records: [{ _id: 2, id: 2, region: 'East' }, { _id: 7 }],
    });
    expect(body.result.fields[0]).toEqual({ id: '_id', type: 'int' });
    expect(body.result.fields.find((f: { id: string }) => f.id === 'amount')).toEqual({
      id: 'amount',
      type: 'int',
    });
    expect(body.result._links.start).toContain('/api/3/action/datastore_search?resource_id=');
    expect(body.result._links.next).toContain('offset=2');
    const next = await t.app.inject({ method: 'GET', url: body.result._links.next });
    expect(JSON.parse(next.body).result.records[0]).toMatchObject({ id: 12 });
    const keyset = await t.app.inject({ method: 'GET', url: body.result.next_page });
    expect(JSON.parse(keyset.body).result.records[0]).toMatchObject({ id: 12 });
  });

  it('datastore_search defaults to 100 rows and caps limit at 32,000', async () => {
    expect(
      (await action('datastore_search', { resource_id: open.resource.id })).body.result.records,
    ).toHaveLength(100);
    expect(
      (await action('datastore_search', { resource_id: open.resource.id, limit: '99999' })).body.result.limit,
    ).toBe(32000);
    expect(
      (await action('datastore_search', { resource_id: open.resource.id, include_total: 'false' })).body
        .result.total,
    ).toBeUndefined();
  });

  it('datastore_search refuses bad parameters and hides restricted resources', async () => {
    const bad = await action('datastore_search', { resource_id: open.resource.id, sort: 'nope' });
    expect(bad.status).toBe(409);
    expect(bad.body.error.__type).toBe('Validation Error');
    expect(bad.body.error.sort).toBeDefined();
    expect((await action('datastore_search', { resource_id: restricted.resource.id })).status).toBe(404);
  });

  it('datastore_search_sql runs a read-only SELECT over datastore tables', async () => {
    const { status, body } = await action('datastore_search_sql', {
      sql: `SELECT region, count(*) AS n FROM "${open.resource.id}" GROUP BY region ORDER BY region;`,
    });
    expect(status).toBe(200);
    expect(body.result.records).toEqual(
      regions
        .slice()
        .sort()
        .map((region) => ({ region, n: 600 })),
    );
    expect(body.result.fields).toEqual([
      { id: 'region', type: 'text' },
      { id: 'n', type: 'int8' },
    ]);
  });

  it('datastore_search_sql refuses writes, other schemas, slow functions, several statements and hidden tables', async () => {
    const refused = async (sqlText: string, client?: TestClient) => {
      const { status, body } = await action('datastore_search_sql', { sql: sqlText }, client);
      expect(status, sqlText).toBe(409);
      expect(body.success, sqlText).toBe(false);
      expect(body.error.__type, sqlText).toBe('Validation Error');
      expect(body.error.sql, sqlText).toBeDefined();
      return body.error.sql[0] as string;
    };
    const table = `"${open.resource.id}"`;
    expect(await refused(`INSERT INTO ${table} (id) VALUES (1)`)).toContain('SELECT');
    expect(await refused(`UPDATE ${table} SET id = 1`)).toContain('SELECT');
    expect(await refused(`WITH x AS (DELETE FROM ${table} RETURNING *) SELECT * FROM x`)).toMatch(
      /only read|could not run/,
    );
    expect(await refused('select * from identity.accounts')).toMatch(/data tables|could not run/);
    expect(await refused('select * from pg_catalog.pg_roles')).toContain('data tables');
    expect(await refused('select pg_sleep(10)')).toContain('pg_sleep');
    expect(await refused('select "pg_sleep"(10)')).toContain('pg_sleep');
    expect(await refused(`select * from ${table}; select 1`)).toContain('one statement');
    expect(await refused(`select * from ${table}; drop table ${table}`)).toContain('one statement');
    expect(await refused(`select 1) as x; drop table ${table}; select (1`)).toMatch(
      /one statement|not complete/,
    );
    expect(await refused("select set_config('role', 'postgres', true)")).toContain('set_config');
    expect(await refused("select query_to_xml('select * from identity.accounts', true, true, '')")).toContain(
      'query_to_xml',
    );
    expect(await refused('select count(*) from generate_series(1, 1000000000) a')).toContain('too long');
    expect(await refused(`select * from "${restricted.resource.id}"`)).toContain('data tables');
    expect(await refused('')).toBeDefined();
    const member = new TestClient(t.app);
    await member.signIn(editor.email, editor.password);
    const { body } = await action(
      'datastore_search_sql',
      { sql: `select secret from "${restricted.resource.id}"` },
      member,
    );
    expect(body.result.records).toEqual([{ secret: 's' }]);
    // Still there after all that.
    expect(
      (await action('datastore_search', { resource_id: open.resource.id, limit: '1' })).body.result.total,
    ).toBe(rowCount);
  });
});
