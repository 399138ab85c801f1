import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeAiralo } from '../fakes/airalo-api.js';
import { FakeDigiflazz } from '../fakes/digiflazz-api.js';
import { startHarness, TEST_TOKEN, type Harness } from '../helpers/harness.js';
import { LINK, linkWithCode, paidOrder } from '../helpers/journeys.js';
import { until } from '../helpers/wait.js';

const NUMBER = '0838 1234 5678';
/** The code the Digiflazz fake sends for every line. */
const CODE = '246810';

/** What an operator sees with LOG_LEVEL=debug during a renewal through real providers (issue 21, "Logs"). */
describe('debug lines: the Bot API calls and the provider requests, without their secrets', () => {
  let h: Harness;
  let digiflazz: FakeDigiflazz;
  let airalo: FakeAiralo;
  beforeAll(async () => {
    digiflazz = await FakeDigiflazz.start();
    airalo = await FakeAiralo.start();
    h = await startHarness({
      providersFromSettings: true,
      env: {
        LOG_LEVEL: 'debug',
        PROVIDER_MSISDN: 'digiflazz',
        DIGIFLAZZ_BASE_URL: digiflazz.url,
        DIGIFLAZZ_USERNAME: digiflazz.username,
        DIGIFLAZZ_API_KEY: digiflazz.apiKey,
        DIGIFLAZZ_WEBHOOK_SECRET: digiflazz.webhookSecret,
        PROVIDER_ICCID: 'airalo',
        AIRALO_BASE_URL: airalo.url,
        AIRALO_CLIENT_ID: airalo.clientId,
        AIRALO_CLIENT_SECRET: 'kuota-secret',
        AIRALO_WEBHOOK_SECRET: 'airalo-hook-secret',
      },
    });
  });
  afterAll(async () => {
    await h.stop();
    await digiflazz.close();
    await airalo.close();
  });

  it('logs each call by method, path, status and time, and never a token, key, number or code', async () => {
    const t = h.telegram.traveller(7301);
    await t.send('/start');
    await t.tap(LINK);
    await linkWithCode(t, NUMBER, CODE);
    const order = await paidOrder(h, t);
    await until(() => digiflazz.requests.some((r) => r.path === '/transaction'), {
      what: 'a top-up to reach the provider',
    });
    await t.waitFor((text) => text.includes(order.number));
    // The eSIM partner's catalog walk: its token and package pages.
    await h.app.services.esim.sync!.run();

    const lines = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 20);
    const botApi = lines.filter((l) => l.msg === 'Bot API call');
    expect(botApi.map((l) => l.method)).toEqual(expect.arrayContaining(['sendMessage']));
    expect(botApi[0]).toMatchObject({ result: 'ok', ms: expect.any(Number) });

    const requests = lines.filter((l) => l.msg === 'provider request');
    const seen = (provider: string) => requests.filter((l) => l.provider === provider).map((l) => l.path);
    // Look-up, code sent, code checked, top-up: each request of the renewal, by path.
    expect(seen('digiflazz')).toEqual(expect.arrayContaining(['/inquiry-line', '/otp', '/transaction']));
    expect(seen('airalo')).toEqual(expect.arrayContaining(['/v2/token', '/v2/packages']));
    expect(requests[0]).toMatchObject({ method: 'POST', status: 200, ms: expect.any(Number) });

    const text = h.logs.join('\n');
    for (const secret of [
      TEST_TOKEN.split(':')[1]!,
      digiflazz.apiKey,
      digiflazz.webhookSecret,
      'kuota-secret',
      'sk_test_kuota',
      h.stripe.webhookSecret,
    ])
      expect(text).not.toContain(secret);
    expect(text).not.toMatch(/Bearer [\w.-]+/);
    for (const line of [...botApi, ...requests]) {
      const shown = JSON.stringify(line);
      expect(shown).not.toMatch(/0838|62838|838\s?1234/);
      expect(shown).not.toContain(CODE);
    }
  }, 60_000);
});
