import { AiraloGateway } from '../../src/adapters/provider/airalo.js';
import { FakeAiralo } from '../fakes/airalo-api.js';
import type { Traveller } from '../fakes/telegram-api.js';
import { chatText, t as copy } from './copy.js';
import { startHarness, type Harness } from './harness.js';

/**
 * Kuota selling new eSIMs from the Airalo fake's Japan and Asia packages, imported and on sale, with
 * quiet hours off so every message goes out at once.
 */
export async function newEsimHarness(
  db: 'sqlite' | 'postgresql',
  env: Record<string, string> = {},
): Promise<{ h: Harness; airalo: FakeAiralo }> {
  const airalo = await FakeAiralo.start();
  airalo.addDestinations();
  const h = await startHarness({
    db,
    publicUrl: true,
    env: { CATALOG_SYNC_NEW: 'sell', ...env },
    providers: {
      iccid: new AiraloGateway({
        baseUrl: airalo.url,
        clientId: airalo.clientId,
        clientSecret: airalo.clientSecret,
        webhookSecret: airalo.webhookSecret,
        timeoutMs: 1500,
      }),
    },
  });
  await h.database.db.user.updateMany({ data: { quietStart: 0, quietEnd: 0 } });
  await h.app.services.esim.sync!.run();
  return { h, airalo };
}

/**
 * Buys Japan's 1 GB eSIM in the traveller's language, pays by card and waits for its QR code: the
 * order id and the eSIM's ICCID.
 */
export async function boughtJapanEsim(
  h: Harness,
  airalo: FakeAiralo,
  t: Traveller,
  language = 'en',
): Promise<{ orderId: string; iccid: string }> {
  await t.send('/start');
  await t.tap(copy('menu.esim', {}, language));
  await t.send('Japan');
  await t.tap('1 GB');
  await t.tap(copy('esim.ready', {}, language));
  await t.tap(chatText(language, 'renew.pay_card').split('{{')[0]!);
  const session = h.stripe.latestSession();
  await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
  await t.waitFor((_, m) => !!(m as { photoBytes?: Buffer }).photoBytes);
  const orderId = session.metadata.orderId as string;
  return { orderId, iccid: airalo.orders.find((o) => o.description === `kuota:${orderId}`)!.iccid };
}
