/** A delivery worker alone in a process, for the kill test: DATABASE_URL, API_ROOT, RATE. */
import { Api } from 'grammy';
import pino from 'pino';
import { openDatabase } from '../../src/adapters/db/client.js';
import { createOutboxWorker } from '../../src/jobs/outbox-worker.js';
import { TEST_TOKEN } from './harness.js';

const database = await openDatabase(process.env.DATABASE_URL!, { migrate: false });
const worker = createOutboxWorker({
  db: database.db,
  provider: database.provider,
  api: new Api(TEST_TOKEN, { apiRoot: process.env.API_ROOT! }),
  render: async (row, user) => ({ chatId: user.telegramId, text: `message ${(row.payload as { n: number }).n}` }),
  logger: pino({ level: 'silent' }),
  now: () => new Date(),
  instanceId: `p${process.pid}`,
  ratePerSecond: Number(process.env.RATE ?? 100),
  paidBroadcast: true,
  claimMs: 1500,
  maxInFlight: Number(process.env.MAX_IN_FLIGHT ?? 16),
});
process.stdout.write('ready\n');
for (;;) if ((await worker.runOnce()) === 0) await new Promise((r) => setTimeout(r, 20));
