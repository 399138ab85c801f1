import { FakeMidtrans } from '../fakes/midtrans-api.js';
import { startHarness, type Harness } from './harness.js';

/**
 * A shop that takes Midtrans methods (`methods`, card included) beside Stripe, with the Midtrans fake
 * it talks to: its notifications reach the shop and its clock is the shop's.
 */
export async function startMidtransShop(options: {
  db: 'sqlite' | 'postgresql';
  methods: string;
  env?: Record<string, string>;
}): Promise<{ h: Harness; midtrans: FakeMidtrans }> {
  const midtrans = await FakeMidtrans.start();
  const h = await startHarness({
    db: options.db,
    env: {
      ...options.env,
      PAYMENT_METHODS: options.methods,
      MIDTRANS_SERVER_KEY: midtrans.serverKey,
      MIDTRANS_API_URL: midtrans.url,
      MIDTRANS_SNAP_URL: midtrans.url,
    },
  });
  midtrans.notificationUrl = `${h.appUrl}/webhooks/midtrans`;
  midtrans.now = h.now;
  return { h, midtrans };
}
