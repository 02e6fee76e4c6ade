import type { Logger } from 'pino';
import type { App } from './app.js';
import type { Config } from './kernel/config/index.js';

/**
 * Starts listening and stops cleanly on SIGINT/SIGTERM: in-flight requests and running jobs finish,
 * then the database closes (and PGlite releases its directory lock).
 */
export async function listen(app: App, config: Config, logger: Logger): Promise<void> {
  await app.listen({ host: config.host, port: config.port });
  let closing = false;
  const stop = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 15_000);
    timer.unref();
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
