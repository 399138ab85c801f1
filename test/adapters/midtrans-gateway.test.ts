import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MidtransHttpGateway } from '../../src/adapters/midtrans/midtrans-gateway.js';
import { FakeMidtrans } from '../fakes/midtrans-api.js';

const DAY = 24 * 3_600_000;

/** The real gateway, pointed at the fake for both Snap and the Core API, at a fixed moment. */
const gatewayTo = (midtrans: FakeMidtrans, now: Date) =>
  new MidtransHttpGateway({
    serverKey: midtrans.serverKey,
    apiUrl: midtrans.url,
    snapUrl: midtrans.url,
    now: () => now,
    logger: pino({ level: 'silent' }),
  });

/** The Snap request as Midtrans bounds it: a code handed out lives 20 seconds to 180 days (docs.midtrans.com/reference/bca-virtual-account-1). */
describe("Midtrans Snap pages within Midtrans's expiry bounds", () => {
  let midtrans: FakeMidtrans;
  let gateway: MidtransHttpGateway;
  const now = new Date('2026-12-07T10:00:00Z');
  beforeAll(async () => {
    midtrans = await FakeMidtrans.start();
    gateway = gatewayTo(midtrans, now);
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

/** Refunds as "Refund Transaction" answers them (https://docs.midtrans.com/reference/refund-transaction). */
describe("Midtrans refunds through the gateway, as Midtrans's refund page answers them", () => {
  let midtrans: FakeMidtrans;
  let gateway: MidtransHttpGateway;
  const now = new Date('2026-12-07T10:00:00Z');
  beforeAll(async () => {
    midtrans = await FakeMidtrans.start();
    midtrans.hold = true;
    gateway = gatewayTo(midtrans, now);
  });
  afterAll(() => midtrans.close());

  const paid = async (orderId: string, method: 'qris' | 'shopeepay') => {
    await gateway.createPage({
      orderId,
      amountIdr: 35_000,
      methods: [method],
      expiresAt: new Date(now.getTime() + DAY),
      finishUrl: 'https://t.me/kuota_bot',
    });
    await midtrans.choose(orderId, method);
    await midtrans.pay(orderId);
  };
  const refund = (orderId: string, amountIdr: number, refundKey = `${orderId}-refund`) =>
    gateway.refund({ orderId, refundKey, amountIdr, reason: 'paid_twice' });

  it('refuses an amount past what was paid with 414, and refunds QRIS in part and then the rest', async () => {
    await paid('qris1', 'qris');
    expect(await refund('qris1', 35_001)).toEqual({
      ok: false,
      statusCode: '414',
      message: 'Refund request is rejected due to invalid amount',
    });
    expect(await refund('qris1', 10_000, 'qris1-a')).toEqual({
      ok: true,
      transactionStatus: 'partial_refund',
      refundedIdr: 10_000,
    });
    expect(await refund('qris1', 25_000, 'qris1-b')).toEqual({
      ok: true,
      transactionStatus: 'refund',
      refundedIdr: 25_000,
    });
    expect(await refund('qris1', 1, 'qris1-c')).toMatchObject({ ok: false, statusCode: '412' });
  });

  it('refuses a partial ShopeePay refund, and refunds the whole payment', async () => {
    await paid('shopee1', 'shopeepay');
    expect(await refund('shopee1', 10_000)).toMatchObject({ ok: false, statusCode: '414' });
    expect(midtrans.snaps.get('shopee1')!.transaction!.transaction_status).toBe('settlement');
    expect(await refund('shopee1', 35_000)).toEqual({ ok: true, transactionStatus: 'refund', refundedIdr: 35_000 });
  });

  it('refuses a refund before the payment settled with 412', async () => {
    await gateway.createPage({
      orderId: 'pending1',
      amountIdr: 35_000,
      methods: ['qris'],
      expiresAt: new Date(now.getTime() + DAY),
      finishUrl: 'https://t.me/kuota_bot',
    });
    await midtrans.choose('pending1', 'qris');
    expect(await refund('pending1', 35_000)).toMatchObject({ ok: false, statusCode: '412' });
  });
});
