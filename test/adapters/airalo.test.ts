import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AiraloGateway } from '../../src/adapters/provider/airalo.js';
import { ProviderRateLimitedError } from '../../src/services/ports/provider-gateway.js';
import { FakeAiralo } from '../fakes/airalo-api.js';

const ICCID = '8962000000000000018';

describe('the Airalo-style eSIM partner adapter', () => {
  let fake: FakeAiralo;
  let clock: number;
  let slept: number[];
  const gateway = (options: Partial<ConstructorParameters<typeof AiraloGateway>[0]> = {}) =>
    new AiraloGateway({
      baseUrl: fake.url,
      clientId: 'kuota-client',
      clientSecret: 'kuota-secret',
      webhookSecret: 'airalo-hook-secret',
      now: () => new Date(clock),
      sleep: async (ms) => {
        slept.push(ms);
      },
      ...options,
    });
  const request = (reference: string) => ({
    reference,
    sku: 'kuota-esim-7days-3gb-topup',
    identifier: ICCID,
    kind: 'iccid' as const,
  });

  beforeEach(async () => {
    fake = await FakeAiralo.start();
    fake.addSim(ICCID, { remainingMb: 1200, totalMb: 5120, expiresAt: new Date('2026-12-03T10:00:00Z') });
    clock = Date.now();
    slept = [];
  });
  afterEach(() => fake.close());

  it('fetches one token for concurrent requests and keeps it until it expires', async () => {
    const airalo = gateway();
    await Promise.all([airalo.usage(ICCID, 'iccid'), airalo.usage(ICCID, 'iccid'), airalo.topUpPackages(ICCID)]);
    expect(fake.tokenRequests()).toBe(1);
    await airalo.usage(ICCID, 'iccid');
    expect(fake.tokenRequests()).toBe(1);
    // A year on (Airalo's tokens live about that long), the adapter asks for a new one before using it.
    clock += fake.tokenLifetimeSeconds * 1000;
    await airalo.usage(ICCID, 'iccid');
    expect(fake.tokenRequests()).toBe(2);
  });

  it('refreshes the token once on a 401, shared by the requests that met it', async () => {
    const airalo = gateway();
    await airalo.usage(ICCID, 'iccid');
    fake.revokeTokens();
    const results = await Promise.all([airalo.usage(ICCID, 'iccid'), airalo.usage(ICCID, 'iccid')]);
    expect(results.map((u) => u?.remainingMb)).toEqual([1200, 1200]);
    expect(fake.tokenRequests()).toBe(2);
    const wrong = gateway({ clientSecret: 'nope' });
    await expect(wrong.usage(ICCID, 'iccid')).rejects.toThrow(/no token/);
  });

  it('reports usage as remaining, total, expiry and status; unlimited plans report no amounts', async () => {
    expect(await gateway().usage(ICCID, 'iccid')).toEqual({
      remainingMb: 1200,
      totalMb: 5120,
      unlimited: false,
      expiresAt: new Date('2026-12-03T10:00:00Z'),
      status: 'ACTIVE',
    });
    fake.addSim('8962000000000000026', { unlimited: true });
    expect(await gateway().usage('8962000000000000026', 'iccid')).toMatchObject({
      remainingMb: null,
      totalMb: null,
      unlimited: true,
    });
    expect(await gateway().usage('8962000000000000034', 'iccid')).toBeNull();
    expect(await gateway().lookupLine('8962000000000000034', 'iccid')).toBeNull();
  });

  it('waits out a 429 as long as Retry-After says, and gives up on a wait longer than it allows', async () => {
    fake.rateLimitNext(/\/usage$/, '7');
    expect((await gateway().usage(ICCID, 'iccid'))?.remainingMb).toBe(1200);
    expect(slept).toEqual([7000]);
    fake.rateLimitNext(/\/usage$/, '900');
    await expect(gateway().usage(ICCID, 'iccid')).rejects.toBeInstanceOf(ProviderRateLimitedError);
  });

  it('lists the top-up packages of an eSIM with cost and retail price', async () => {
    expect(await gateway().topUpPackages(ICCID)).toContainEqual({
      sku: 'kuota-esim-7days-3gb-topup',
      priceMinor: 650,
      minRetailMinor: 900,
      currency: 'USD',
      available: true,
      title: '3 GB - 7 Days',
      dataMb: 3072,
      validityDays: 7,
      packageType: 'topup',
      family: null,
    });
  });

  it("puts Kuota's reference in the order description", async () => {
    expect(await gateway().topUp(request('ord1'))).toEqual({
      status: 'success',
      providerRef: '20261125-009000',
      expiresAt: null,
    });
    expect(fake.orders[0]).toMatchObject({ iccid: ICCID, description: 'kuota:ord1' });
  });

  it('a top-up that times out but went through is found in the order list, and a status check never buys it again', async () => {
    fake.answerNextTopUpLate(1500);
    const airalo = gateway({ timeoutMs: 300 });
    expect(await airalo.topUp(request('ord1'))).toMatchObject({ status: 'success', providerRef: '20261125-009000' });
    expect(await airalo.topUpStatus(request('ord1'))).toMatchObject({ status: 'success' });
    expect(fake.topUpPosts()).toBe(1);
    expect(fake.orders).toHaveLength(1);
  });

  it('after a 500, buys again only when the reference is not in the order list', async () => {
    const airalo = gateway();
    fake.failNextTopUp(true);
    expect(await airalo.topUp(request('ord1'))).toMatchObject({ status: 'success' });
    fake.failNextTopUp(false);
    expect(await airalo.topUp(request('ord10'))).toEqual({ status: 'pending', providerRef: null });
    // "kuota:ord1" is inside "kuota:ord10"'s search too: only the exact reference counts.
    expect(await airalo.topUpStatus(request('ord10'))).toMatchObject({ status: 'success' });
    expect(fake.orders.map((o) => o.description)).toEqual(['kuota:ord1', 'kuota:ord10']);
  });

  it('a refused top-up fails for good; a rate-limited one is tried again later', async () => {
    expect(await gateway().topUp({ ...request('ord2'), sku: 'no-such-package' })).toMatchObject({
      status: 'failed',
      retryable: false,
    });
    fake.rateLimitNext(/\/orders\/topups$/, '3600');
    expect(await gateway().topUp(request('ord3'))).toMatchObject({ status: 'failed', retryable: true });
    expect(fake.orders).toHaveLength(0);
  });

  it('accepts only webhooks signed with the partner secret, whatever else arrives; a valid signature is never called bad', () => {
    const airalo = gateway();
    const signed = fake.webhook({ level: '90%', iccid: ICCID, package_name: 'kuota-3gb', remaining_percentage: 10 });
    expect(airalo.parseWebhook(Buffer.from(signed.body), signed.signature)).toEqual({
      kind: 'low_data',
      iccid: ICCID,
      level: '90%',
      known: true,
      remainingPercentage: 10,
      packageName: 'kuota-3gb',
    });
    expect(airalo.parseWebhook(Buffer.from(signed.body), signed.signature.toUpperCase()).kind).toBe('low_data');
    const forged = fake.webhook({ level: '90%', iccid: ICCID }, 'guessed-secret');
    const bad = { kind: 'bad_signature' };
    expect(airalo.parseWebhook(Buffer.from(forged.body), forged.signature)).toEqual(bad);
    expect(airalo.parseWebhook(Buffer.from(signed.body.replace('90%', '75%')), signed.signature)).toEqual(bad);
    for (const junk of [
      undefined,
      '',
      'sha512=abc',
      signed.signature.slice(2),
      `${signed.signature}00`,
      'zz'.repeat(64),
      ['a', 'b'],
      '💥'.repeat(64),
    ]) {
      expect(airalo.parseWebhook(Buffer.from(signed.body), junk)).toEqual(bad);
    }
    const notJson = fake.webhook({}).signature.replace(/./g, '0');
    expect(airalo.parseWebhook(Buffer.from('not json'), notJson)).toEqual(bad);
    // Signed, but a level Kuota does not know: read, marked unknown, never refused.
    const unknownLevel = fake.webhook({ level: '50%', iccid: ICCID, remaining_percentage: 50 });
    expect(airalo.parseWebhook(Buffer.from(unknownLevel.body), unknownLevel.signature)).toMatchObject({
      kind: 'low_data',
      level: '50%',
      known: false,
    });
    // Signed junk names its field.
    for (const [body, field] of [
      [{ level: '90%', iccid: ICCID, remaining_percentage: -40 }, 'remaining_percentage'],
      [{ level: '90%', iccid: ICCID, remaining_percentage: -1e12 }, 'remaining_percentage'],
      [{ level: '90%', iccid: ICCID, remaining_percentage: '9' }, 'remaining_percentage'],
      [{ level: '90%', iccid: 42 }, 'iccid'],
      [{ message: 'Surpassed 80% of the credit limit balance', remaining: 'lots' }, 'remaining'],
    ] as const) {
      const junk = fake.webhook(body);
      expect(airalo.parseWebhook(Buffer.from(junk.body), junk.signature)).toMatchObject({ kind: 'invalid', field });
    }
    const credit = fake.webhook({ message: 'Surpassed 80% of the credit limit balance', remaining: 225.35 });
    expect(airalo.parseWebhook(Buffer.from(credit.body), credit.signature)).toEqual({
      kind: 'credit_limit',
      message: 'Surpassed 80% of the credit limit balance',
      remaining: 225.35,
    });
  });

  it('imports every page of the package list as documented: an array on page 1, an object keyed by index from page 2 on, top-ups included', async () => {
    fake.addCountries(230);
    const packages = await gateway().listPackages();
    const pages = fake.requests.filter((r) => r.path === '/v2/packages');
    expect(pages).toHaveLength(3);
    // 231 countries: Indonesia's 2 eSIM packages and 2 top-ups, then one of each per added country.
    expect(packages).toHaveLength(4 + 230 * 2);
    expect(packages.filter((p) => p.packageType === 'topup')).toHaveLength(2 + 230);
    expect(packages.find((p) => p.sku === 'op231-7days-1gb-topup')).toMatchObject({
      packageType: 'topup',
      family: 'airalo-operator-1231',
    });
    expect(packages.find((p) => p.sku === 'kuota-esim-7days-3gb')).toMatchObject({
      packageType: 'sim',
      family: 'airalo-operator-501',
    });
  });

  it('refuses junk figures from the partner where they enter, naming the field', async () => {
    const sim = fake.sims.get(ICCID)!;
    Object.assign(sim, { remainingMb: '512' });
    await expect(gateway().usage(ICCID, 'iccid')).rejects.toMatchObject({ field: 'remaining' });
    Object.assign(sim, { remainingMb: -2048 });
    await expect(gateway().usage(ICCID, 'iccid')).rejects.toMatchObject({ field: 'remaining' });
    Object.assign(sim, { remainingMb: 100, totalMb: 1e12 });
    await expect(gateway().usage(ICCID, 'iccid')).rejects.toMatchObject({ field: 'total' });
  });

  it("keeps a refusal's documented code and reason; insufficient credit is code 11", async () => {
    const refusals: unknown[] = [];
    const airalo = gateway();
    airalo.onRefusal((r) => refusals.push(r));
    fake.credit = 2;
    const result = await airalo.topUp(request('ord4'));
    expect(result).toMatchObject({
      status: 'failed',
      retryable: false,
      partnerCode: 11,
      reason: expect.stringMatching(/^Airalo 422 code 11: Insufficient Airalo Credit/),
    });
    expect(refusals).toEqual([expect.objectContaining({ code: 11, status: 422 })]);
    expect(await airalo.partnerBalance()).toEqual({ amountMinor: 200, currency: 'USD' });
  });
});
