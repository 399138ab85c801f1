import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DigiflazzGateway } from '../../src/adapters/provider/digiflazz.js';
import { FakeDigiflazz } from '../fakes/digiflazz-api.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { checkout, outboxDelivered, receiptsOfTheirOwn } from '../helpers/journeys.js';
import { RECEIPT_HEADLINE, words } from '../helpers/copy.js';

describe("a pending wholesale top-up finished by the provider's callback", () => {
  let h: Harness;
  let provider: FakeDigiflazz;
  beforeEach(async () => {
    provider = await FakeDigiflazz.start();
    const gateway = new DigiflazzGateway({
      baseUrl: provider.url,
      username: 'kuota',
      apiKey: 'dev-key-123',
      webhookSecret: 'hook-secret',
    });
    h = await startHarness({ provider: gateway });
  });
  afterEach(async () => {
    await h.stop();
    await provider.close();
  });

  it('links through the provider, pays, waits, and applies the top-up once when the signed callback comes (twice)', async () => {
    const t = h.telegram.traveller(5150);
    await t.send('/start');
    await t.tap(words('menu.link'));
    await t.send('0838 1234 2222');
    await t.send('246810');
    await t.tap('Skip');
    const session = await checkout(h, t);
    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    // The top-up reaches the provider, which answers "pending": the order waits for its callback.
    await expect.poll(() => provider.transactions.has(session.metadata.orderId!)).toBe(true);
    const order = await h.database.db.order.findFirstOrThrow({ where: { state: { not: 'draft' } } });
    expect(order.state).toBe('topping_up');

    const callback = provider.settle(order.id, 'Sukses');
    const post = (signature: string) =>
      fetch(`${h.appUrl}/webhooks/provider`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature': signature },
        body: callback.body,
      });
    expect((await post('sha1=forged')).status).toBe(400);
    expect((await post(callback.signature)).status).toBe(200);
    expect((await post(callback.signature)).status).toBe(200);
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    await outboxDelivered(h);
    expect(await receiptsOfTheirOwn(h, t)).toHaveLength(1);
    expect((await h.database.db.order.findUniqueOrThrow({ where: { id: order.id } })).providerRef).toBe('SN-LATE');
  });
});
