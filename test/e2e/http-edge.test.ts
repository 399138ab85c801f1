import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DigiflazzGateway } from '../../src/adapters/provider/digiflazz.js';
import { FakeDigiflazz } from '../fakes/digiflazz-api.js';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, TEST_WEBHOOK_SECRET, type Harness } from '../helpers/harness.js';
import { words } from '../helpers/copy.js';

const errorLines = (h: Harness) =>
  h.logs.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((l) => l.level >= 50);

describe.each(databaseKinds)('an update the bot fails on, in webhook mode (%s)', (db) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ db });
  });
  afterAll(() => h.stop());

  it('answers the traveller as polling does, confirms the update to Telegram, and logs the error once', async () => {
    const t = h.telegram.traveller(7301);
    await t.send('/start');
    // The database loses a table under the running bot: reading the history now fails.
    await h.database.db.$executeRawUnsafe('ALTER TABLE "Order" RENAME TO "OrderGone"');
    try {
      await t.send('/history'); // the fake throws unless the webhook answered 2xx
      expect(t.last().text).toContain(words('common.error'));
      const errors = errorLines(h);
      expect(errors.map((l) => l.msg)).toEqual(['update failed']);
      // Telegram does not deliver it again: the traveller's next message is the next update.
      await t.send('/help');
      expect(t.last().text).toContain(words('help.menu'));
      expect(t.messages().filter((m) => m.text?.includes(words('common.error')))).toHaveLength(1);
    } finally {
      await h.database.db.$executeRawUnsafe('ALTER TABLE "OrderGone" RENAME TO "Order"');
    }
  });
});

describe('junk at the HTTP edge', () => {
  let h: Harness;
  let digiflazz: FakeDigiflazz;
  beforeAll(async () => {
    digiflazz = await FakeDigiflazz.start();
    h = await startHarness({
      provider: new DigiflazzGateway({
        baseUrl: digiflazz.url,
        username: 'kuota',
        apiKey: 'dev-key-123',
        webhookSecret: 'hook-secret',
      }),
    });
  });
  afterAll(async () => {
    await h.stop();
    await digiflazz.close();
  });

  const post = async (path: string, body: string | Buffer, headers: Record<string, string> = {}) => {
    const response = await fetch(`${h.appUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    await response.arrayBuffer();
    return response.status;
  };
  const telegram = (body: string | Buffer, secret = TEST_WEBHOOK_SECRET) =>
    post('/webhooks/telegram', body, { 'x-telegram-bot-api-secret-token': secret });
  const huge = (bytes: number) => JSON.stringify({ update_id: 1, padding: 'x'.repeat(bytes) });

  afterEach(() => {
    expect(errorLines(h)).toEqual([]);
  });

  it('Telegram: the secret is checked before the body; a bad body from the secret holder is a 400, one over 1 MB a 413', async () => {
    // The secret comes first, whatever the body.
    expect(await telegram('{"update_id": 1', 'wrong')).toBe(401);
    expect(await telegram(huge(2_000_000), 'wrong')).toBe(401);
    expect(await post('/webhooks/telegram', '{not json')).toBe(401);
    expect(await telegram('{"update_id": 1', 'ü'.repeat(11))).toBe(401);
    // …then the body, from a sender who knows the secret.
    expect(await telegram('{"update_id": 1')).toBe(400);
    expect(await telegram('null')).toBe(400);
    expect(await telegram('[]')).toBe(400);
    expect(await telegram('{"message": {}}')).toBe(400);
    expect(await telegram(huge(2_000_000))).toBe(413);
  });

  it('Stripe: a bad or missing signature, a signed body that is not an event, a body over the limit are 4xx', async () => {
    expect(await post('/webhooks/stripe', '{}')).toBe(400);
    expect(await post('/webhooks/stripe', '{}', { 'stripe-signature': 't=1,v1=ü' })).toBe(400);
    expect((await h.stripe.deliverRaw(h.appUrl, 'null')).status).toBe(400);
    expect((await h.stripe.deliverRaw(h.appUrl, '{"id": "evt_1"')).status).toBe(400);
    expect((await h.stripe.deliverRaw(h.appUrl, '"an event"')).status).toBe(400);
    expect(await post('/webhooks/stripe', huge(300_000))).toBe(413);
  });

  it('provider: any signature (non-ASCII of the right length too), a signed body that is not a callback, a body over the limit are 4xx', async () => {
    const body = JSON.stringify({ data: { ref_id: 'nope', status: 'Sukses' } });
    const signature = digiflazz.sign(body);
    expect(await post('/webhooks/provider', body, { 'x-hub-signature': 'ü'.repeat(signature.length) })).toBe(400);
    expect(await post('/webhooks/provider', body, { 'x-hub-signature': `sha1=${'é'.repeat(40)}` })).toBe(400);
    expect(await post('/webhooks/provider', body)).toBe(400);
    expect(await post('/webhooks/provider', '{"data":', { 'x-hub-signature': digiflazz.sign('{"data":') })).toBe(400);
    expect(await post('/webhooks/provider', 'null', { 'x-hub-signature': digiflazz.sign('null') })).toBe(400);
    expect(await post('/webhooks/provider', huge(100_000))).toBe(413);
  });

  it('an unknown path or method is a 404, and the server still answers', async () => {
    expect(await post('/webhooks/nothing', '{}')).toBe(404);
    expect((await fetch(`${h.appUrl}/webhooks/stripe`)).status).toBe(404);
    expect((await fetch(`${h.appUrl}/healthz`)).status).toBe(200);
  });
});
