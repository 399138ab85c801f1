import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DigiflazzGateway } from '../../src/adapters/provider/digiflazz.js';
import { ProviderUnavailableError } from '../../src/services/ports/provider-gateway.js';
import { FakeDigiflazz } from '../fakes/digiflazz-api.js';
import { freePort } from '../fakes/http.js';

describe('the Digiflazz-style wholesale adapter', () => {
  let fake: FakeDigiflazz;
  let gateway: DigiflazzGateway;
  beforeAll(async () => {
    fake = await FakeDigiflazz.start();
    gateway = new DigiflazzGateway({
      baseUrl: fake.url,
      username: 'kuota',
      apiKey: 'dev-key-123',
      webhookSecret: 'hook-secret',
    });
  });
  afterAll(() => fake.close());

  const request = (reference: string, number: string) => ({
    reference,
    sku: 'AXWK10',
    identifier: number,
    kind: 'msisdn' as const,
  });

  it('signs a top-up md5(username + key + ref_id) and sends the local 08… number', async () => {
    const status = await gateway.topUp(request('order-1', '6283812345678'));
    expect(status).toEqual({ status: 'success', providerRef: 'SN1', expiresAt: null });
    const sent = fake.requests.find((r) => r.path === '/transaction')!.body;
    expect(sent).toMatchObject({
      username: 'kuota',
      buyer_sku_code: 'AXWK10',
      customer_no: '083812345678',
      ref_id: 'order-1',
    });
    expect(sent.sign).toMatch(/^[0-9a-f]{32}$/);
  });

  it('treats a repeated reference as the same top-up, never a second purchase', async () => {
    await gateway.topUp(request('order-2', '6283812345679'));
    await gateway.topUp(request('order-2', '6283812345679'));
    expect(await gateway.topUpStatus(request('order-2', '6283812345679'))).toMatchObject({ status: 'success' });
    expect([...fake.transactions.keys()].filter((k) => k === 'order-2')).toHaveLength(1);
  });

  it('reports pending, failure codes and a wrong signature', async () => {
    expect(await gateway.topUp(request('order-3', '6283812342222'))).toEqual({ status: 'pending', providerRef: null });
    expect(await gateway.topUp(request('order-4', '6283812341111'))).toMatchObject({
      status: 'failed',
      reason: 'rc 52: Tujuan Salah',
      retryable: false,
    });
    expect(await gateway.topUp(request('order-5', '6283812344444'))).toMatchObject({
      status: 'failed',
      retryable: true,
    });
    const wrongKey = new DigiflazzGateway({
      baseUrl: fake.url,
      username: 'kuota',
      apiKey: 'wrong',
      webhookSecret: 'x',
    });
    expect(await wrongKey.topUp(request('order-6', '6283812345678'))).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('rc 41'),
    });
  });

  it('accepts only callbacks signed with the webhook secret', async () => {
    await gateway.topUp(request('order-7', '6283812352222'));
    const callback = fake.settle('order-7', 'Sukses');
    expect(gateway.parseCallback(Buffer.from(callback.body), callback.signature)).toEqual({
      reference: 'order-7',
      status: { status: 'success', providerRef: 'SN-LATE', expiresAt: null },
    });
    expect(gateway.parseCallback(Buffer.from(callback.body), 'sha1=' + '0'.repeat(40))).toBeNull();
    expect(gateway.parseCallback(Buffer.from(callback.body.replace('Sukses', 'Gagal')), callback.signature)).toBeNull();
  });

  it('looks a line up, sends and checks a code, lists packages', async () => {
    expect(await gateway.lookupLine('6283812345678', 'msisdn')).toMatchObject({
      carrier: 'axis',
      expiresAt: new Date('2026-12-24T00:00:00Z'),
    });
    expect(await gateway.lookupLine('6283812340000', 'msisdn')).toBeNull();
    const { reference } = await gateway.sendCode('6283812345678', 'msisdn');
    expect(await gateway.checkCode(reference, '000000')).toBe(false);
    expect(await gateway.checkCode(reference, '246810')).toBe(true);
    expect(await gateway.listPackages('axis')).toEqual([
      { sku: 'AXWK10', priceMinor: 31000, currency: 'IDR', available: true },
    ]);
  });

  it('says the provider is unavailable when it cannot be reached', async () => {
    const down = new DigiflazzGateway({
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      username: 'kuota',
      apiKey: 'k',
      webhookSecret: 'x',
      timeoutMs: 2000,
    });
    await expect(down.topUp(request('order-8', '6283812345678'))).rejects.toBeInstanceOf(ProviderUnavailableError);
  });
});
