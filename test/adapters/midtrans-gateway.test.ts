import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MidtransHttpGateway } from '../../src/adapters/midtrans/midtrans-gateway.js';
import { FakeMidtrans } from '../fakes/midtrans-api.js';

const DAY = 24 * 3_600_000;

/** The Snap request as Midtrans bounds it: a code handed out lives 20 seconds to 180 days (docs.midtrans.com/reference/bca-virtual-account-1). */
describe("Midtrans Snap pages within Midtrans's expiry bounds", () => {
  let midtrans: FakeMidtrans;
  let gateway: MidtransHttpGateway;
  const now = new Date('2026-12-07T10:00:00Z');
  beforeAll(async () => {
    midtrans = await FakeMidtrans.start();
    gateway = new MidtransHttpGateway({
      serverKey: midtrans.serverKey,
      apiUrl: midtrans.url,
      snapUrl: midtrans.url,
      now: () => now,
      logger: pino({ level: 'silent' }),
    });
  });
  afterAll(() => midtrans.close());

  const page = (orderId: string, expiresInMs: number) =>
    gateway.createPage({
      orderId,
      amountIdr: 35_000,
      methods: ['bca_va'],
      expiresAt: new Date(now.getTime() + expiresInMs),
      finishUrl: 'https://t.me/kuota_bot',
    });

  it('makes a page that lives as long as the order, up to 180 days', async () => {
    expect(await page('order1', 180 * DAY)).toMatchObject({ ok: true });
    expect(midtrans.snaps.get('order1')!.expiry).toMatchObject({ unit: 'minute', duration: 180 * 24 * 60 });
  });

  it('is refused, as Midtrans refuses it, when the order would outlive 180 days', async () => {
    expect(await page('order2', 181 * DAY)).toEqual({
      ok: false,
      reason: 'refused',
      messages: ['expiry.duration must be between 20 seconds and 180 days'],
    });
    expect(midtrans.snaps.has('order2')).toBe(false);
  });
});
