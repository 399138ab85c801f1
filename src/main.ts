import { existsSync } from 'node:fs';
import { openDatabase, type Database } from './adapters/db/client.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { routeLibraryLogs } from './observe/library-logs.js';
import { createRepeatedLog } from './observe/repeated.js';
import { causeOf, retrying } from './start-up/retry.js';
import { seedEmptyDatabase } from './start-up/seed.js';
import { startLine } from './start-up/start-line.js';

if (existsSync('.env')) process.loadEnvFile('.env');

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  createLogger().fatal({ problems: error.problems }, 'Kuota cannot start: the settings are wrong');
  console.error(`${error.message}\n\nSee .env.example for what each setting means.`);
  process.exit(1);
}

const logger = createLogger({
  level: config.LOG_LEVEL,
  pretty: config.NODE_ENV === 'development' && process.stdout.isTTY,
});
routeLibraryLogs(logger, createRepeatedLog(logger));
process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));

/** Ends the start with one sentence naming the step and the real cause, never a guess. */
function cannotStart(what: string, error: unknown): never {
  const { cause, suspectToken } = causeOf(error);
  const hint = suspectToken ? ': Telegram does not know this token; is TELEGRAM_BOT_TOKEN right?' : '';
  logger.fatal({ err: error, cause }, `Kuota cannot start: ${what} failed (${cause})${hint}`);
  console.error(`Kuota cannot start: ${what} failed (${cause})${hint}`);
  process.exit(1);
}

const forMs = config.STARTUP_RETRY_SECONDS * 1000;
const kind = config.DATABASE_URL.startsWith('file:') ? 'SQLite' : 'PostgreSQL';
let database: Database;
try {
  database = await retrying(`opening the database (${kind})`, () => openDatabase(config.DATABASE_URL), {
    forMs,
    logger,
  });
} catch (error) {
  cannotStart(`opening the database (${kind})`, error);
}
logger.info({ provider: database.provider }, 'database ready');

const app = await createApp({ config, logger, database });
await seedEmptyDatabase(config, app.services, logger).catch((error) =>
  cannotStart('loading the catalog and partner stores', error),
);
const telegram = `reaching Telegram at ${config.TELEGRAM_API_ROOT}`;
await retrying(telegram, () => app.identify(), { forMs, logger }).catch((error) => cannotStart(telegram, error));
await app.start().catch((error) => cannotStart('starting', error));
logger.info(startLine(config, app), 'Kuota is running');

let stopping = false;
async function stop(why: Record<string, unknown>, code: number, log: Logger = logger): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info(why, 'stopping');
  const deadline = AbortSignal.timeout(config.SHUTDOWN_DEADLINE_SECONDS * 1000);
  await app.stop(deadline);
  if (deadline.aborted) {
    logger.warn({ seconds: config.SHUTDOWN_DEADLINE_SECONDS }, 'shutdown deadline reached; exiting with work left');
    process.exit(code || 1);
  }
  await database.close();
  process.exit(code);
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop({ signal }, 0));

// Long polling ended on its own: say why in one line, and stop (the orchestrator restarts or alerts).
app.updates.onFatal((error) => {
  const conflict = error instanceof Object && (error as { error_code?: number }).error_code === 409;
  if (conflict) logger.fatal({ err: error }, 'another instance is polling with this token; stopping');
  else logger.fatal({ err: error, cause: causeOf(error).cause }, 'Telegram ended long polling; stopping');
  void stop({ reason: conflict ? 'conflict' : 'polling ended' }, conflict ? 3 : 1);
});
