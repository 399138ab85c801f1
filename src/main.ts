import { existsSync } from 'node:fs';
import { openDatabase } from './adapters/db/client.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';

if (existsSync('.env')) process.loadEnvFile('.env');

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`${error.message}\n\nSee .env.example for what each setting means.`);
  process.exit(1);
}

const logger = createLogger({
  level: config.LOG_LEVEL,
  pretty: config.NODE_ENV === 'development' && process.stdout.isTTY,
});

/** Says which outside system failed at start, in a sentence, instead of a stack trace. */
async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    logger.fatal({ err: error }, `Kuota cannot start: ${what} failed`);
    console.error(`Kuota cannot start: ${what} failed: ${(error as Error).message}`);
    process.exit(1);
  }
}

const database = await step(
  `opening the database (${config.DATABASE_URL.startsWith('file:') ? 'SQLite' : 'PostgreSQL'})`,
  () => openDatabase(config.DATABASE_URL),
);
logger.info({ provider: database.provider }, 'database ready');
const app = await step('loading the catalog and partner stores', () => createApp({ config, logger, database }));
await step(`reaching Telegram at ${config.TELEGRAM_API_ROOT} (is TELEGRAM_BOT_TOKEN right?)`, () => app.start());
logger.info({ port: app.port, provider: app.provider.name }, 'Kuota is running');

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  // Node ignores a listener's promise; should stopping fail, the rejection is unhandled and ends the process anyway.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  process.once(signal, async () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await app.stop();
    await database.close();
    process.exit(0);
  });
}
