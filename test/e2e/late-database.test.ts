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
describe.skipIf(!postgresUrl)('a PostgreSQL that comes up after Kuota, or goes away', () => {
  let telegram: FakeTelegram;
  let stripe: FakeStripe;
  let database: TestDatabase;
  const processes: KuotaProcess[] = [];
  const proxies: Array<Awaited<ReturnType<typeof startTcpProxy>>> = [];
  beforeAll(async () => {
    buildDist();
    telegram = await FakeTelegram.start();
    stripe = await FakeStripe.start();
    database = await createTestDatabase('postgresql');
  }, 300_000);
  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    for (const proxy of proxies) await proxy.close();
    await telegram.close();
    await stripe.close();
    await database.drop();
  });

  const target = () => {
    const url = new URL(postgresUrl!);
    return { host: url.hostname, port: Number(url.port || 5432) };
  };
  /** dist/main.js reaching the test database through `port`; its HTTP server on `httpPort`. */
  function start(port: number, httpPort: number, env: Record<string, string> = {}): KuotaProcess {
    const through = new URL(database.url);
    through.host = `127.0.0.1:${port}`;
    const kuota = startKuota({
      TELEGRAM_API_ROOT: telegram.url,
      STRIPE_SECRET_KEY: 'sk_test_prod',
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_API_BASE: stripe.url,
      DATABASE_URL: through.toString(),
      PORT: String(httpPort),
      ...env,
    });
    processes.push(kuota);
    return kuota;
  }
  async function readiness(httpPort: number, until: (answer: { database: boolean }) => boolean) {
    for (const deadline = Date.now() + 30_000; ;) {
      const answer = (await (await fetch(`http://127.0.0.1:${httpPort}/readyz`)).json()) as { database: boolean };
      if (until(answer)) return answer;
      if (Date.now() > deadline) throw new Error(`/readyz still says ${JSON.stringify(answer)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('retries with backoff, naming ECONNREFUSED, and is ready once the port forwards to the database', async () => {
    // Nothing listens on this port yet: every connection is refused, as by a database still starting.
    const port = await freePort();
    const httpPort = await freePort();
    const kuota = start(port, httpPort, { STARTUP_RETRY_SECONDS: '120' });
    const retries = () => kuota.lines().filter((l) => String(l.msg).startsWith('opening the database (PostgreSQL)'));
    for (const until = Date.now() + 60_000; retries().length < 3;) {
      if (Date.now() > until || kuota.child.exitCode !== null)
        throw new Error(`no three retries (exit ${kuota.child.exitCode}):\n${kuota.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    proxies.push(await startTcpProxy(target(), port));
    await kuota.waitFor('Kuota is running', 60_000);

    const [first, second, third] = retries();
    expect(first).toMatchObject({ cause: 'ECONNREFUSED', attempt: 1, retryInMs: 500 });
    expect(first!.msg).toBe('opening the database (PostgreSQL) failed (ECONNREFUSED); trying again');
    expect(second).toMatchObject({ cause: 'ECONNREFUSED', attempt: 2, retryInMs: 1000 });
    expect(third).toMatchObject({ cause: 'ECONNREFUSED', attempt: 3, retryInMs: 2000 });
    expect(kuota.output()).not.toContain('Kuota cannot start');
    expect(kuota.lines().find((l) => l.msg === 'Kuota is running')).toMatchObject({ database: 'postgresql' });

    expect(await readiness(httpPort, (a) => a.database)).toMatchObject({ ok: true, database: true });
    kuota.child.kill('SIGTERM');
    expect(await kuota.exited()).toBe(0);
  }, 120_000);

  it('logs a database outage as one line per loop, not one per try, and is ready again once it is back', async () => {
    const proxy = await startTcpProxy(target());
    proxies.push(proxy);
    const httpPort = await freePort();
    const kuota = start(proxy.port, httpPort, { OUTBOX_POLL_MS: '100' });
    await kuota.waitFor('Kuota is running', 60_000);
    const before = kuota.lines().length;

    proxy.cutOff();
    // The loops keep trying (the outbox every 0.1 s): wait for thirty tries to have been turned away.
    for (const until = Date.now() + 60_000; proxy.refused() < 30;) {
      if (Date.now() > until) throw new Error(`only ${proxy.refused()} tries:\n${kuota.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await readiness(httpPort, (a) => !a.database)).database).toBe(false);
    const outage = kuota.lines().slice(before); // every line JSON
    const ticks = outage.filter((l) => l.msg === 'loop tick failed');
    expect(ticks.length).toBeGreaterThanOrEqual(1);
    const perLoop = new Map<unknown, number>();
    for (const l of ticks) perLoop.set(l.loop, (perLoop.get(l.loop) ?? 0) + 1);
    expect([...perLoop.values()].every((n) => n === 1)).toBe(true);
    expect(ticks[0]).toMatchObject({ level: 50, kind: `loop:${String(ticks[0]!.loop)}`, err: expect.any(Object) });
    expect(outage.length).toBeLessThan(15);

    proxy.restore();
    expect(await readiness(httpPort, (a) => a.database)).toMatchObject({ ok: true, database: true });
    kuota.child.kill('SIGTERM');
    expect(await kuota.exited()).toBe(0);
  }, 180_000);
});
