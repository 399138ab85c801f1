import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../fakes/http.js';
import { FakeStripe } from '../fakes/stripe-api.js';
import { FakeTelegram } from '../fakes/telegram-api.js';
import { startHarness, TEST_TOKEN, TEST_WEBHOOK_SECRET } from '../helpers/harness.js';
import { checkout, travellerWithLine } from '../helpers/journeys.js';
import { words } from '../helpers/copy.js';

describe('the bot process', () => {
  let telegram: FakeTelegram;
  let stripe: FakeStripe;
  let dir: string;
  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    stripe = await FakeStripe.start();
    dir = mkdtempSync(path.join(tmpdir(), 'kuota-proc-'));
  });
  afterAll(async () => {
    await telegram.close();
    await stripe.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startProcess(port: number): Promise<{ child: ChildProcess; output: () => string }> {
    let output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: process.cwd(),
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        TELEGRAM_BOT_TOKEN: TEST_TOKEN,
        TELEGRAM_API_ROOT: telegram.url,
        STRIPE_SECRET_KEY: 'sk_test_proc',
        STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
        STRIPE_API_BASE: stripe.url,
        DATABASE_URL: `file:${path.join(dir, 'kuota.db')}`,
        PORT: String(port),
        HOST: '127.0.0.1',
      },
    });
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    // Compiled by tsx as it starts: a loaded 2-core machine took more than 30 s (60 s, as for the image's start).
    const until = Date.now() + 60_000;
    while (!output.includes('Kuota is running')) {
      if (Date.now() > until || child.exitCode !== null) throw new Error(`did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return { child, output: () => output };
  }

  it('starts on SQLite with long polling, answers /healthz, stops on SIGTERM, and loses no update across a restart', async () => {
    const port = await freePort();
    const first = await startProcess(port);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    for (const line of first.output().trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();

    const t = telegram.traveller(9100);
    await t.send('/start');
    await t
      .waitFor((text) => text.includes('Hi Traveller!'))
      .catch((error) => {
        throw new Error(`${(error as Error).message}\nbot output:\n${first.output()}`);
      });

    first.child.kill('SIGTERM');
    const code = await new Promise((resolve) => first.child.once('exit', resolve));
    expect(code).toBe(0);
    expect(first.output()).toContain('"msg":"stopping"');

    // Sent while the bot is down: Telegram keeps it until the next start confirms it.
    await t.send('/help');
    const second = await startProcess(port);
    await t.waitFor((text) => text.includes(words('help.menu')));
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
    expect(t.messages().filter((m) => m.text?.includes('Hi Traveller!'))).toHaveLength(1);
    expect(t.messages().filter((m) => m.text?.includes(words('help.menu')))).toHaveLength(1);
    // Two starts of the real process (each compiles and opens its database): on a busy 2-core machine that alone
    // can take more than the default 30 s, so this test gets room for both; every wait inside is on a condition.
  }, 150_000);
});

describe('webhook mode and reachability', () => {
  it('refuses Telegram updates without the secret token', async () => {
    const h = await startHarness();
    try {
      const response = await fetch(`${h.appUrl}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'wrong' },
        body: JSON.stringify({ update_id: 1 }),
      });
      expect(response.status).toBe(401);
      expect(h.telegram.calls.find((c) => c.method === 'setWebhook')!.payload).toMatchObject({
        url: expect.stringContaining('/webhooks/telegram'),
        secret_token: TEST_WEBHOOK_SECRET,
      });
    } finally {
      await h.stop();
    }
  });

  it('stops writing to a traveller who blocked the bot, and keeps the receipt as unreachable', async () => {
    const h = await startHarness();
    try {
      const t = await travellerWithLine(h);
      const session = await checkout(h, t);
      await t.block();
      const user = await h.database.db.user.findFirstOrThrow({ where: { telegramId: BigInt(t.chatId) } });
      expect(user.reachable).toBe(false);
      await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
      await expect
        .poll(async () => (await h.database.db.outboxMessage.findFirst({ where: { kind: 'receipt' } }))?.state)
        .toBe('unreachable');
      expect((await h.database.db.order.findFirstOrThrow({ where: { state: { not: 'draft' } } })).state).toBe(
        'fulfilled',
      );
      // Writing again makes them reachable.
      h.telegram.blocked.delete(t.chatId);
      await t.send('/start');
      expect((await h.database.db.user.findFirstOrThrow({ where: { telegramId: BigInt(t.chatId) } })).reachable).toBe(
        true,
      );
    } finally {
      await h.stop();
    }
  });
});
