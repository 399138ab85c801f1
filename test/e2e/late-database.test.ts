import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../fakes/http.js';
import { FakeStripe } from '../fakes/stripe-api.js';
import { FakeTelegram } from '../fakes/telegram-api.js';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../helpers/database.js';
import { buildDist, startKuota, type KuotaProcess } from '../helpers/process.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

/**
 * `dist/main.js` started before its PostgreSQL is up (compose starts both at once, a host reboots):
 * it waits with backoff, says why each try failed, and serves once the database answers.
 */
describe.skipIf(!postgresUrl)('a PostgreSQL that comes up after Kuota', () => {
  let telegram: FakeTelegram;
  let stripe: FakeStripe;
  let database: TestDatabase;
  let kuota: KuotaProcess | undefined;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>> | undefined;
  beforeAll(async () => {
    buildDist();
    telegram = await FakeTelegram.start();
    stripe = await FakeStripe.start();
    database = await createTestDatabase('postgresql');
  }, 300_000);
  afterAll(async () => {
    if (kuota?.child.exitCode === null) kuota.child.kill('SIGKILL');
    await proxy?.close();
    await telegram.close();
    await stripe.close();
    await database.drop();
  });

  it('retries with backoff, naming ECONNREFUSED, and is ready once the port forwards to the database', async () => {
    const target = new URL(postgresUrl!);
    // Nothing listens on this port yet: every connection is refused, as by a database still starting.
    const port = await freePort();
    const late = new URL(database.url);
    late.host = `127.0.0.1:${port}`;
    const httpPort = await freePort();
    kuota = startKuota({
      TELEGRAM_API_ROOT: telegram.url,
      STRIPE_SECRET_KEY: 'sk_test_prod',
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_API_BASE: stripe.url,
      DATABASE_URL: late.toString(),
      PORT: String(httpPort),
      STARTUP_RETRY_SECONDS: '120',
    });
    const retries = () => kuota!.lines().filter((l) => String(l.msg).startsWith('opening the database (PostgreSQL)'));
    for (const until = Date.now() + 60_000; retries().length < 3;) {
      if (Date.now() > until || kuota.child.exitCode !== null)
        throw new Error(`no three retries (exit ${kuota.child.exitCode}):\n${kuota.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) }, port);
    await kuota.waitFor('Kuota is running', 60_000);

    const [first, second, third] = retries();
    expect(first).toMatchObject({ cause: 'ECONNREFUSED', attempt: 1, retryInMs: 500 });
    expect(first!.msg).toBe('opening the database (PostgreSQL) failed (ECONNREFUSED); trying again');
    expect(second).toMatchObject({ cause: 'ECONNREFUSED', attempt: 2, retryInMs: 1000 });
    expect(third).toMatchObject({ cause: 'ECONNREFUSED', attempt: 3, retryInMs: 2000 });
    expect(kuota.output()).not.toContain('Kuota cannot start');
    expect(kuota.lines().find((l) => l.msg === 'Kuota is running')).toMatchObject({ database: 'postgresql' });

    const ready = await fetch(`http://127.0.0.1:${httpPort}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ok: true, database: true });
    kuota.child.kill('SIGTERM');
    expect(await kuota.exited()).toBe(0);
  }, 120_000);
});
