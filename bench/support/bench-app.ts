/**
 * The app as benchmark servers run it: `test` environment (production behaviour without HTTPS),
 * silent logs, 127.0.0.1 on a free port, a throw-away data directory, jobs not polled.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/kernel/config/index.js';

/** A free port on 127.0.0.1, so the app's public URL can name the port it will listen on. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Configuration for a benchmark server; `pglite` is `memory://` or a directory name inside the data directory. */
export async function benchConfig(options: {
  prefix: string;
  databaseUrl: string | undefined;
  pglite: 'memory' | 'file';
}): Promise<{ config: Config; dataDir: string; port: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), options.prefix));
  const port = await freePort();
  const config = loadConfig(
    {},
    {
      environment: 'test',
      logLevel: 'silent',
      host: '127.0.0.1',
      port,
      publicUrl: `http://127.0.0.1:${port}`,
      secret: randomBytes(32).toString('base64url'),
      dataDir,
      filesDir: path.join(dataDir, 'files'),
      pgliteDir: options.pglite === 'memory' ? 'memory://' : path.join(dataDir, 'pglite'),
      databaseUrl: options.databaseUrl,
      // Jobs run in a worker process in production; a benchmark runs them when it means to.
      jobsEnabled: false,
    },
  );
  return { config, dataDir, port };
}
