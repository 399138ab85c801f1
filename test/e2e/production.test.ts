import { lookup } from 'node:dns/promises';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { WEBHOOK_SECRET_EXAMPLE } from '../../src/config.js';
import { freePort } from '../fakes/http.js';
import { FakeStripe } from '../fakes/stripe-api.js';
import { FakeTelegram } from '../fakes/telegram-api.js';
import { RECEIPT_HEADLINE } from '../helpers/copy.js';
import { startHarness, TEST_TOKEN } from '../helpers/harness.js';
import { checkout, paidOrder, STARS_ENV, starsInvoiceLink, travellerWithLine } from '../helpers/journeys.js';
import { buildDist, startKuota, type KuotaProcess } from '../helpers/process.js';
import { until } from '../helpers/wait.js';

/** `dist/main.js` as a process against the fakes: what an operator runs, failing on purpose. */
describe('Kuota in production, as a process', () => {
  let telegram: FakeTelegram;
  let stripe: FakeStripe;
  let dir: string;
  const running: KuotaProcess[] = [];
  beforeAll(async () => {
    buildDist();
    telegram = await FakeTelegram.start();
    stripe = await FakeStripe.start();
    dir = mkdtempSync(path.join(tmpdir(), 'kuota-prod-'));
  }, 300_000);
  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await telegram.close();
    await stripe.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let n = 0;
  function start(env: Record<string, string> = {}): KuotaProcess {
    const p = startKuota({
      TELEGRAM_API_ROOT: telegram.url,
      STRIPE_SECRET_KEY: 'sk_test_prod',
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_API_BASE: stripe.url,
      DATABASE_URL: `file:${path.join(dir, `kuota-${n++}.db`)}`,
      PORT: '0',
      ...env,
    });
    running.push(p);
    return p;
  }

  it('refuses to start a webhook without a secret, and answers a forged update without the header with 401', async () => {
    const port = await freePort();
    const webhook = { TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/webhooks/telegram`, PORT: String(port) };
    const refused = start({ ...webhook, ...STARS_ENV });
    expect(await refused.exited()).toBe(1);
    expect(refused.output()).toContain('TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL');
    expect(refused.output()).toContain(WEBHOOK_SECRET_EXAMPLE);
    expect(refused.output()).not.toContain('Kuota is running');

    const kuota = start({ ...webhook, ...STARS_ENV, TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET_EXAMPLE });
    await kuota.waitFor('Kuota is running');
    const forged = {
      update_id: 77,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: 4242, type: 'private', first_name: 'Mallory' },
        from: { id: 4242, is_bot: false, first_name: 'Mallory' },
        successful_payment: {
          currency: 'XTR',
          total_amount: 1,
          invoice_payload: 'o:anything',
          telegram_payment_charge_id: 'forged',
          provider_payment_charge_id: '',
        },
      },
    };
    const post = (headers: Record<string, string>) =>
      fetch(`http://127.0.0.1:${port}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(forged),
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ 'x-telegram-bot-api-secret-token': 'x'.repeat(32) })).status).toBe(401);
    expect(telegram.messagesTo(4242)).toHaveLength(0);
    kuota.child.kill('SIGTERM');
    expect(await kuota.exited()).toBe(0);
  });

  it('logs a Telegram outage as JSON, without the token, one line a minute; and stops within the deadline', async () => {
    const kuota = start({ SHUTDOWN_DEADLINE_SECONDS: '3' });
    await kuota.waitFor('Kuota is running');
    const running = kuota.lines().find((l) => l.msg === 'Kuota is running')!;
    expect(running).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), updates: 'polling' });
    expect(running).toMatchObject({ database: 'sqlite', payments: ['card'], stripe: 'test' });
    expect(running.providers).toEqual({ numbers: 'simulator', eSIMs: 'simulator' });
    telegram.outage = 502;
    try {
      await new Promise((r) => setTimeout(r, 5_000));
      await kuota.waitFor('Telegram refused getUpdates');
      const before = Date.now();
      kuota.child.kill('SIGTERM');
      await kuota.exited();
      expect(Date.now() - before).toBeLessThan(3_000 + 1_500);
    } finally {
      telegram.outage = null;
    }
    const secret = TEST_TOKEN.split(':')[1]!;
    expect(kuota.output()).not.toContain(secret);
    const lines = kuota.lines(); // every line is JSON
    expect(lines.filter((l) => String(l.msg).startsWith('Telegram refused getUpdates'))).toHaveLength(1);
    expect(kuota.output()).not.toContain('[grammY runner]');
  }, 90_000);

  it('stops within the deadline while Telegram holds the answers it owes', async () => {
    const kuota = start({ SHUTDOWN_DEADLINE_SECONDS: '3' });
    await kuota.waitFor('Kuota is running');
    const from = telegram.calls.length;
    // Telegram takes the bot's reply and the next poll, and answers neither for 20 s.
    telegram.slow.set('sendMessage', 20_000);
    telegram.slow.set('getUpdates', 20_000);
    try {
      await telegram.traveller(5252).send('/help');
      for (const until = Date.now() + 30_000; !telegram.calls.slice(from).some((c) => c.method === 'sendMessage');) {
        if (Date.now() > until) throw new Error(`no reply under way:\n${kuota.output()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const before = Date.now();
      kuota.child.kill('SIGTERM');
      expect(await kuota.exited()).not.toBeNull();
      expect(Date.now() - before).toBeLessThan(3_000 + 1_500);
    } finally {
      telegram.slow.clear();
    }
    expect(kuota.lines().find((l) => l.msg === 'shutdown deadline reached; exiting with work left')).toMatchObject({
      seconds: 3,
    });
  }, 60_000);

  it('adds each Bot API call at LOG_LEVEL=debug, by method and outcome, without the token', async () => {
    const quiet = start();
    const debug = start({ LOG_LEVEL: 'debug' });
    await Promise.all([quiet.waitFor('Kuota is running'), debug.waitFor('Kuota is running')]);
    await debug.waitFor('"method":"getUpdates"');
    for (const p of [quiet, debug]) p.child.kill('SIGTERM');
    expect(await quiet.exited()).toBe(0);
    expect(await debug.exited()).toBe(0);
    expect(quiet.lines().filter((l) => l.msg === 'Bot API call')).toHaveLength(0);
    const calls = debug.lines().filter((l) => l.msg === 'Bot API call');
    expect(calls.map((l) => l.method)).toEqual(expect.arrayContaining(['getMe', 'getUpdates']));
    expect(calls.find((l) => l.method === 'getMe')).toMatchObject({ level: 20, result: 'ok' });
    expect(debug.output()).not.toContain(TEST_TOKEN.split(':')[1]!);
  }, 60_000);

  it('retries an unreachable or unresolvable Telegram with its real cause, and suspects the token only when getMe says 401 or 404', async () => {
    const unreachable = start({
      TELEGRAM_API_ROOT: `http://127.0.0.1:${await freePort()}`,
      // Room for the 0.5 s and 1 s waits however slowly each try runs on a busy machine.
      STARTUP_RETRY_SECONDS: '6',
    });
    expect(await unreachable.exited()).toBe(1);
    const retries = unreachable.lines().filter((l) => String(l.msg).includes('trying again'));
    expect(retries.length).toBeGreaterThanOrEqual(2);
    expect(retries[0]).toMatchObject({ cause: 'ECONNREFUSED', retryInMs: 500 });
    expect(retries[1]).toMatchObject({ retryInMs: 1000 });
    expect(unreachable.output()).toContain('Kuota cannot start: reaching Telegram at http://127.0.0.1:');
    expect(unreachable.output()).toContain('(ECONNREFUSED)');
    expect(unreachable.output()).not.toContain('TELEGRAM_BOT_TOKEN');
    expect(unreachable.output()).not.toContain(TEST_TOKEN.split(':')[1]!);

    // A name that does not resolve: the cause is the resolver's own (ENOTFOUND here), never the token.
    const host = 'kuota-telegram.invalid';
    const resolverSays = await lookup(host).then(
      () => 'resolved',
      (error: NodeJS.ErrnoException) => error.code,
    );
    const unresolved = start({ TELEGRAM_API_ROOT: `http://${host}`, STARTUP_RETRY_SECONDS: '2' });
    expect(await unresolved.exited()).toBe(1);
    expect(unresolved.lines().find((l) => String(l.msg).includes('trying again'))).toMatchObject({
      cause: resolverSays,
    });
    expect(unresolved.output()).toContain(
      `Kuota cannot start: reaching Telegram at http://${host} failed (${resolverSays})`,
    );
    expect(unresolved.output()).not.toContain('TELEGRAM_BOT_TOKEN');

    // A Bot API that does not know the token answers getMe with 401 Unauthorized, or (Telegram's own) 404 Not Found: no retry.
    for (const [status, description] of [
      [401, 'Unauthorized'],
      [404, 'Not Found'],
    ] as const) {
      const wrong = await FakeTelegram.start();
      const original = (wrong as unknown as { call: (m: string, p: unknown) => Promise<unknown> }).call.bind(wrong);
      (wrong as unknown as { call: (m: string, p: unknown) => Promise<unknown> }).call = async (method, payload) =>
        method === 'getMe' ? { ok: false, error_code: status, description } : original(method, payload);
      try {
        const refused = start({ TELEGRAM_API_ROOT: wrong.url });
        expect(await refused.exited()).toBe(1);
        expect(refused.output()).toContain(
          `(${status} ${description}): Telegram does not know this token; is TELEGRAM_BOT_TOKEN right?`,
        );
        expect(refused.output()).not.toContain('trying again');
      } finally {
        await wrong.close();
      }
    }
  }, 180_000);

  it('says in one fatal line that another instance polls with this token, and exits non-zero', async () => {
    telegram.conflict = true;
    try {
      const kuota = start();
      expect(await kuota.exited()).not.toBe(0);
      const fatal = kuota.lines().filter((l) => l.level === 60);
      expect(fatal).toHaveLength(1);
      expect(fatal[0]!.msg).toBe('another instance is polling with this token; stopping');
      expect(kuota.output()).not.toContain('unhandled');
    } finally {
      telegram.conflict = false;
    }
  }, 90_000);
});

describe('SIGTERM by long polling (issue 20, defect 3)', () => {
  it('settles a Stars payment queued behind a slow update of the same chat before it exits, once', async () => {
    buildDist();
    const h = await startHarness({ env: STARS_ENV });
    const processes: KuotaProcess[] = [];
    try {
      const t = await travellerWithLine(h);
      const link = await starsInvoiceLink(t);
      const invoice = h.telegram.invoice(link);
      const summary = await h.database.db.order.findFirstOrThrow();
      await h.app.stop();
      const env = {
        ...STARS_ENV,
        TELEGRAM_API_ROOT: h.telegram.url,
        STRIPE_SECRET_KEY: 'sk_test_prod',
        STRIPE_WEBHOOK_SECRET: h.stripe.webhookSecret,
        STRIPE_API_BASE: h.stripe.url,
        DATABASE_URL: h.database.url,
        PORT: '0',
        // Each message takes 3 s at this slow Telegram: the work under way (a reply, the payment's answer, its
        // receipt) outlasts the default 8 s. The deadline has a test of its own; this one is about the payment.
        SHUTDOWN_DEADLINE_SECONDS: '30',
      };
      const first = startKuota(env);
      processes.push(first);
      await first.waitFor('Kuota is running');
      expect((await h.telegram.preCheckout(t.user, invoice))?.ok).toBe(true);
      const payment = h.telegram.charge(t.user, invoice);

      // /help's answer takes 3 s at Telegram; the payment waits behind it in the chat's queue.
      h.telegram.slow.set('sendMessage', 3_000);
      await t.send('/help');
      await h.telegram.deliver(h.telegram.successfulPayment(t.user, payment, true));
      const paymentUpdate = h.telegram.lastUpdateId;
      // The runner's next poll confirms both to Telegram: from then on, only this process has them.
      await until(
        () => h.telegram.calls.some((c) => c.method === 'getUpdates' && (c.payload.offset ?? 0) > paymentUpdate),
        { what: () => `the payment to be confirmed:\n${first.output()}` },
      );
      first.child.kill('SIGTERM');
      expect(await first.exited(), first.output()).toBe(0);
      h.telegram.slow.clear();

      const second = startKuota(env);
      processes.push(second);
      await second.waitFor('Kuota is running');
      // Settled once: one receipt of its own (the order's summary, edited to show it, is not another).
      const isReceipt = (m: { text?: string; message_id: number }) =>
        !!m.text?.includes(RECEIPT_HEADLINE) && m.message_id !== summary.summaryMessageId;
      await t.waitFor((_, m) => isReceipt(m));
      const order = await h.database.db.order.findFirstOrThrow({ where: { telegramChargeId: payment.chargeId } });
      expect(order.paidWith).toBe('stars');
      expect(order.state).not.toBe('draft');
      expect(t.messages().filter(isReceipt)).toHaveLength(1);
      second.child.kill('SIGTERM');
      await second.exited();
    } finally {
      for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
      await h.telegram.close();
      await h.stripe.close();
      await h.database.drop();
    }
  }, 120_000);
});

describe('metrics, readiness and the order steps in the log', () => {
  it('moves the order, payment and top-up counters after a renewal, and logs each step with the order id and the traveller id', async () => {
    const h = await startHarness({ env: { METRICS_TOKEN: 'metrics_token_0123456789' } });
    try {
      const t = await travellerWithLine(h);
      const order = await paidOrder(h, t);
      await t.waitFor((text) => text.includes(order.number));
      await expect
        .poll(async () => (await h.database.db.order.findUniqueOrThrow({ where: { id: order.id } })).state)
        .toBe('fulfilled');
      expect((await fetch(`${h.appUrl}/metrics`)).status).toBe(401);
      // The receipt goes out through the outbox, a moment after the order is fulfilled.
      let text = '';
      await until(
        async () => {
          const scrape = await fetch(`${h.appUrl}/metrics`, {
            headers: { authorization: 'Bearer metrics_token_0123456789' },
          });
          text = await scrape.text();
          return /step="receipt_sent"/.test(text);
        },
        { what: 'the receipt_sent step in /metrics', interval: 50 },
      );
      expect(text).toMatch(/^kuota_payments_total\{method="card"\} 1$/m);
      expect(text).toMatch(/^kuota_topups_seconds_count\{result="success"\} 1$/m);
      expect(text).toMatch(/^kuota_orders\{state="fulfilled"\} 1$/m);
      expect(text).toMatch(/^kuota_order_steps_total\{step="receipt_sent"\} 1$/m);
      expect(text).toMatch(/^kuota_bot_api_calls_total\{method="sendMessage",result="ok"\} \d+$/m);
      expect(text).toMatch(/^kuota_updates_seconds_count\{kind="message",result="ok"\} \d+$/m);
      expect(text).toContain('kuota_process_resident_memory_bytes');
      expect(text).toMatch(/^kuota_outbox_depth \d+$/m);

      // README's scrape config and alert rules name metrics this scrape has.
      const readme = readFileSync('README.md', 'utf8');
      const block = /```yaml\n(# prometheus\.yml[\s\S]*?)```/.exec(readme)![1]!;
      const prometheus = parse(block) as {
        scrape_configs: Array<{ metrics_path: string }>;
        groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
      };
      expect(prometheus.scrape_configs[0]!.metrics_path).toBe('/metrics');
      const rules = prometheus.groups.flatMap((g) => g.rules);
      expect(rules.length).toBeGreaterThanOrEqual(3);
      for (const rule of rules)
        for (const [metric] of rule.expr.matchAll(/\bkuota_\w+/g)) {
          // A gauge with no reading yet (the simulator keeps no balance) is still declared.
          const family = metric.replace(/_(count|sum|bucket)$/, '');
          expect(text, `${rule.alert} uses ${metric}`).toMatch(new RegExp(`^# TYPE ${family} `, 'm'));
        }

      const steps = h.logs
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.orderId === order.id && l.step);
      expect(steps.map((l) => l.msg)).toEqual(
        expect.arrayContaining([
          'order drafted',
          'checkout created',
          'order paid',
          'top-up requested',
          'top-up result',
          'receipt sent',
        ]),
      );
      expect(steps.find((l) => l.msg === 'order paid')).toMatchObject({
        order: order.number,
        method: 'card',
        currency: 'IDR',
      });
      // Each step names the traveller by their id, never by their number or Telegram id.
      const { userId } = await h.database.db.order.findUniqueOrThrow({ where: { id: order.id } });
      for (const step of steps) {
        expect(step).toMatchObject({ order: order.number, travellerId: userId });
        expect(Object.values(step)).not.toContain(t.user.id);
      }
      expect(JSON.stringify(steps)).not.toMatch(/0838|62838/);

      // A top-up the provider refuses: its result and the refund are steps of their own, for the same traveller.
      const refused = await travellerWithLine(h, '0838 1234 1111');
      const session = await checkout(h, refused);
      await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
      const refundedOrder = await h.database.db.order.findFirstOrThrow({ where: { stripeSessionId: session.id } });
      const stepsOf = (id: string) =>
        h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.orderId === id && l.step);
      await until(() => stepsOf(refundedOrder.id).some((l) => l.msg === 'order refunded'), {
        what: "the refunded order's 'order refunded' step",
      });
      const refundSteps = stepsOf(refundedOrder.id);
      expect(refundSteps.find((l) => l.msg === 'top-up result')).toMatchObject({ result: 'failed' });
      expect(refundSteps.find((l) => l.msg === 'order refunded')).toMatchObject({ step: 'refunded' });
      for (const step of refundSteps) expect(step).toMatchObject({ travellerId: refundedOrder.userId });
      expect(refundedOrder.userId).not.toBe(userId);

      expect(await (await fetch(`${h.appUrl}/readyz`)).json()).toEqual({ ok: true, database: true, telegram: true });
    } finally {
      await h.stop();
    }
  }, 60_000);
});
