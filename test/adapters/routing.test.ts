import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AiraloGateway } from '../../src/adapters/provider/airalo.js';
import { DigiflazzGateway } from '../../src/adapters/provider/digiflazz.js';
import { createProviders } from '../../src/adapters/provider/from-config.js';
import { SimulatorGateway } from '../../src/adapters/provider/simulator.js';
import { loadConfig } from '../../src/config.js';
import { withLuhnDigit } from '../../src/domain/iccid.js';
import { FakeAiralo } from '../fakes/airalo-api.js';
import { FakeDigiflazz } from '../fakes/digiflazz-api.js';

const ICCID = withLuhnDigit('896200000000000009');
const base = {
  TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWX',
  STRIPE_SECRET_KEY: 'sk_test_123',
  STRIPE_WEBHOOK_SECRET: 'whsec_123',
};

describe('both providers at once', () => {
  let airalo: FakeAiralo;
  let digiflazz: FakeDigiflazz;
  beforeAll(async () => {
    [airalo, digiflazz] = await Promise.all([FakeAiralo.start(), FakeDigiflazz.start()]);
    airalo.addSim(ICCID);
  });
  afterAll(async () => {
    await Promise.all([airalo.close(), digiflazz.close()]);
  });

  const configured = (env: Record<string, string>) =>
    createProviders(
      loadConfig({
        ...base,
        DIGIFLAZZ_BASE_URL: digiflazz.url,
        DIGIFLAZZ_USERNAME: 'kuota',
        DIGIFLAZZ_API_KEY: 'dev-key-123',
        DIGIFLAZZ_WEBHOOK_SECRET: 'hook-secret',
        AIRALO_BASE_URL: airalo.url,
        AIRALO_CLIENT_ID: 'kuota-client',
        AIRALO_CLIENT_SECRET: 'kuota-secret',
        AIRALO_WEBHOOK_SECRET: 'airalo-hook-secret',
        ...env,
      }),
    );

  it('builds the provider the configuration names for each kind; the simulator stands in for a kind left to it', () => {
    const both = configured({ PROVIDER_MSISDN: 'digiflazz', PROVIDER_ICCID: 'airalo' });
    expect(both.forKind('msisdn')).toBeInstanceOf(DigiflazzGateway);
    expect(both.forKind('iccid')).toBeInstanceOf(AiraloGateway);
    const esimOnly = configured({ PROVIDER_ICCID: 'airalo' });
    expect(esimOnly.forKind('msisdn')).toBeInstanceOf(SimulatorGateway);
    const numbersOnly = configured({ PROVIDER: 'digiflazz', PROVIDER_ICCID: 'simulator' });
    expect(numbersOnly.forKind('iccid')).toBeInstanceOf(SimulatorGateway);
    expect(configured({}).adapters()).toHaveLength(1);
  });

  it("sends codes, checks and top-ups to the provider of the line's kind, or of the plan when the catalog names one", async () => {
    const gateway = configured({ PROVIDER_MSISDN: 'digiflazz', PROVIDER_ICCID: 'airalo' });
    // The eSIM partner sends no codes: its eSIMs are claimed with a claim code instead.
    expect(gateway.linkProof('iccid')).toBe('claim');
    expect(gateway.linkProof('msisdn')).toBe('code');
    const numberCode = await gateway.sendCode('6283812345678', 'msisdn');
    expect(await gateway.checkCode(numberCode.reference, '246810')).toBe(true);
    expect(await gateway.checkCode(numberCode.reference, '135790')).toBe(false);
    expect(await gateway.checkCode('forged-reference', '135790')).toBe(false);

    expect(
      await gateway.topUp({ reference: 'o1', sku: 'AXWK10', identifier: '6283812345678', kind: 'msisdn' }),
    ).toMatchObject({ status: 'success' });
    expect(
      await gateway.topUp({
        reference: 'o2',
        sku: 'kuota-esim-7days-3gb-topup',
        identifier: ICCID,
        kind: 'iccid',
        provider: 'airalo',
      }),
    ).toMatchObject({ status: 'success' });
    expect(digiflazz.transactions.has('o1')).toBe(true);
    expect(airalo.orders.map((o) => o.description)).toEqual(['kuota:o2']);
    // A plan for a provider this instance does not have is refused (and the traveller refunded), never sent elsewhere.
    expect(
      await gateway.topUp({
        reference: 'o3',
        sku: 'X',
        identifier: '6283812345678',
        kind: 'msisdn',
        provider: 'simulator',
      }),
    ).toMatchObject({ status: 'failed', retryable: false, reason: expect.stringContaining('not configured') });
    expect(gateway.reportsUsage('iccid')).toBe(true);
    expect(gateway.reportsUsage('msisdn')).toBe(false);
    expect(gateway.pushesLowData('iccid')).toBe(true);
  });
});
