/**
 * A large catalogue for the search benchmark, grown from the real demo data: the demo seed
 * (Government of Canada organizations and licences, open.canada.ca records, 400 datasets derived
 * from the Service Inventory) is copied in bulk, each copy a yearly edition of a real dataset
 * ("… 2019–2020"), until the catalogue holds the asked number of datasets. The search documents
 * are then computed by the catalogue's own code, in batches.
 *
 * Copies are made with SQL rather than through the actions: creating 100,000 datasets one by one
 * (validation, history, audit) would take far longer than the benchmark itself, and the search
 * reads only the columns copied here.
 */
import { sql } from 'drizzle-orm';
import type { App } from '../../src/app.js';
import { rows } from '../../src/kernel/db/index.js';
import { refreshSearchWhere } from '../../src/modules/catalogue/data/datasets.js';
import { enabledModules } from '../../src/modules.js';

const batch = 5_000;

export async function growCatalogue(app: App, target: number, log: (line: string) => void): Promise<number> {
  for (const module of enabledModules) await module.seedDemo?.(app.apis.get(module.id), app.kernel);
  const db = app.kernel.database.db;
  const count = async () =>
    (await rows<{ n: number }>(db, sql`select count(*)::int as n from catalogue.datasets`))[0]!.n;
  const seeded = await count();
  const editions = Math.ceil(Math.max(0, target - seeded) / seeded);
  log(
    `  growing the catalogue from ${seeded} demo datasets to ${target} (${editions} yearly editions of each)…`,
  );
  const started = Date.now();
  // Edition e of dataset d: fiscal year (2024 − e) in both titles, its own name, spread over time.
  await db.execute(sql`
    insert into catalogue.datasets (name, title, description, keywords, organization_id, organization, groups,
      licence_id, access_level, exemption_reason, state, contact, update_frequency, spatial, formats,
      modified_at, created_at, published_at, views, downloads)
    select left(d.name, 80) || '-e' || e,
      jsonb_build_object('en', (d.title->>'en') || ' ' || (2024 - e) || '–' || (2025 - e),
                         'fr', (d.title->>'fr') || ' ' || (2024 - e) || '-' || (2025 - e)),
      d.description, d.keywords, d.organization_id, d.organization, d.groups,
      d.licence_id, d.access_level, d.exemption_reason, d.state, d.contact, d.update_frequency, d.spatial,
      case (abs(hashtext(d.name)) + e) % 4 when 0 then '{CSV}' when 1 then '{CSV,JSON}' when 2 then '{XLSX}' else '{PDF}' end::text[],
      now() - make_interval(days => (e * 37 + abs(hashtext(d.name)) % 365)),
      now() - make_interval(days => (e * 37 + abs(hashtext(d.name)) % 365)),
      now() - make_interval(days => (e * 37 + abs(hashtext(d.name)) % 365)),
      (abs(hashtext(d.name || e)) % 500), (abs(hashtext(e || d.name)) % 100)
    from catalogue.datasets d cross join generate_series(1, ${editions}) e
    where d.state = 'published'
    order by e, d.name
    limit ${Math.max(0, target - seeded)}`);
  log(`  inserted in ${((Date.now() - started) / 1000).toFixed(1)} s; computing search documents…`);
  const indexing = Date.now();
  for (;;) {
    const pending = (
      await rows<{ n: number }>(
        db,
        sql`select count(*)::int as n from catalogue.datasets where search is null`,
      )
    )[0]!.n;
    if (!pending) break;
    await refreshSearchWhere(
      db,
      sql`d.id in (select id from catalogue.datasets where search is null limit ${batch})`,
    );
  }
  await db.execute(sql`analyze catalogue.datasets`);
  log(`  search documents computed in ${((Date.now() - indexing) / 1000).toFixed(1)} s`);
  return count();
}
