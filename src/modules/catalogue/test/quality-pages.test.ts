import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { TestClient } from '../../../../test/support/client.js';
import { makeOrganization } from '../../identity/test/factories.js';
import { makeDataset } from './factories.js';

/**
 * The dataset page shows the quality score with its reasons, and links to the usage figures
 * (views/dataset.njk includes catalogue/quality.njk and catalogue/metrics-link.njk).
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

it('shows the score, how it is worked out, and a link to the usage figures, in both languages', async () => {
  const org = await makeOrganization(t.app, 'agriculture');
  const dataset = await makeDataset(t.app, org.id, { contactEmail: 'farms@example.ca' });
  const en = await new TestClient(t.app).get(`/en/datasets/${dataset.name}`);
  expect(en.body).toContain('Quality score: 47 out of 100');
  expect(en.body).toContain('Contact email address given');
  expect(en.body).toContain(`href="/en/datasets/${dataset.name}/metrics"`);
  const fr = await new TestClient(t.app).get(`/fr/datasets/${dataset.name}`);
  expect(fr.body).toContain('Note de qualité : 47 sur 100');
  expect(fr.body).toContain('Comment la note est calculée');
});
