import net from 'node:net';
import { createTestApp, type TestApp } from '../../support/app.js';
import type { Config } from '../../../src/kernel/config/index.js';

/** The real app listening on a local port, with its public URL set to that port so emailed links work. */
export interface BrowserServer extends TestApp {
  baseUrl: string;
  /** Absolute URL of a path on this server. */
  url(path: string): string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('No port')),
      );
    });
  });
}

/**
 * Builds the app on a fresh database (PGlite, or PostgreSQL when DATABASE_URL is set) and listens
 * on 127.0.0.1. The port is chosen before the app is built, because the public URL (used in emailed
 * links) must name it; another process taking the port in between is retried.
 */
export async function startServer(
  config: Partial<Record<keyof Config, unknown>> = {},
): Promise<BrowserServer> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const t = await createTestApp({ config: { host: '127.0.0.1', port, publicUrl: baseUrl, ...config } });
    try {
      await t.app.listen({ host: '127.0.0.1', port });
    } catch (error) {
      await t.close();
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < 5) continue;
      throw error;
    }
    return { ...t, baseUrl, url: (path: string) => new URL(path, baseUrl).toString() };
  }
}
