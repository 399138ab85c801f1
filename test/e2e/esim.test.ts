import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AiraloGateway } from '../../src/adapters/provider/airalo.js';
import { DigiflazzGateway } from '../../src/adapters/provider/digiflazz.js';
import { withLuhnDigit } from '../../src/domain/iccid.js';
import { createCatalogImport } from '../../src/services/catalog/import.js';
import { FakeAiralo } from '../fakes/airalo-api.js';
import { FakeDigiflazz } from '../fakes/digiflazz-api.js';
import type { Traveller } from '../fakes/telegram-api.js';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { linkWithCode, receiptsOfTheirOwn } from '../helpers/journeys.js';
import { fragment, RECEIPT_HEADLINE, words, rendered } from '../helpers/copy.js';
import { until } from '../helpers/wait.js';

const ICCID = withLuhnDigit('896200000000000001');
// Relative to the clock, so the eSIM is valid for a few more days whatever the date the suite runs on.
const ESIM_EXPIRES = new Date(Date.now() + 5 * 86_400_000);
/** The eSIM's last day as the bot writes it for an English traveller in Jakarta ("Dec 3"). */
const untilDay = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Jakarta', day: 'numeric', month: 'short' }).format(
  ESIM_EXPIRES,
);

describe.each(databaseKinds)(
  'travel eSIMs from the partner API beside Indonesian numbers from the aggregator (%s)',
  (db) => {
    let h: Harness;
    let airalo: FakeAiralo;
    let digiflazz: FakeDigiflazz;
    beforeEach(async () => {
      [airalo, digiflazz] = await Promise.all([FakeAiralo.start(), FakeDigiflazz.start()]);
      airalo.addSim(ICCID, { remainingMb: 2150, totalMb: 5120, expiresAt: ESIM_EXPIRES });
      h = await startHarness({
        db,
        providers: {
          msisdn: new DigiflazzGateway({
            baseUrl: digiflazz.url,
            username: 'kuota',
            apiKey: 'dev-key-123',
            webhookSecret: 'hook-secret',
          }),
          iccid: new AiraloGateway({
            baseUrl: airalo.url,
            clientId: 'kuota-client',
            clientSecret: 'kuota-secret',
            webhookSecret: 'airalo-hook-secret',
            timeoutMs: 1500,
          }),
        },
      });
      const packages = await new AiraloGateway({
        baseUrl: airalo.url,
        clientId: 'kuota-client',
        clientSecret: 'kuota-secret',
        webhookSecret: '',
      }).listPackages();
      await createCatalogImport({ db: h.database.db }).importPackages({
        provider: 'airalo',
        carrier: 'esim',
        packages,
        rule: { percent: 30, fixedMinor: 0 },
      });
      const code = await h.app.services.esim.claimCodes.issue(ICCID, 'test-operator');
      issued = code.ok ? code.code : '';
    });
    afterEach(async () => {
      await h.stop();
      await Promise.all([airalo.close(), digiflazz.close()]);
    });

    /** A traveller with an AXIS number (the aggregator's code) and the eSIM (the partner's code), quiet hours off. */
    async function travellerWithBoth(language = 'en'): Promise<Traveller> {
      const t = h.telegram.traveller(7100, { language_code: language });
      await t.send('/start');
      for (const [line, code] of [
        ['0838 1234 5678', () => '246810'],
        [ICCID, claimCode],
      ] as const) {
        await t.send('/link');
        await linkWithCode(t, line, code);
      }
      await h.database.db.user.updateMany({ data: { quietStart: 0, quietEnd: 0 } });
      return t;
    }
    /** The claim code a shop prints on the eSIM's receipt (the partner sends no one-time codes). */
    let issued = '';
    const claimCode = () => issued;
    const usageCalls = () => airalo.requests.filter((r) => r.path.endsWith('/usage')).length;
    const receipts = (t: Traveller) => t.messages().filter((m) => m.text?.includes(RECEIPT_HEADLINE)).length;
    const pay = async (t: Traveller) => {
      const before = receipts(t);
      await t.tap(words('renew.pay_card'));
      await h.stripe.deliver(h.appUrl, h.stripe.pay(h.stripe.latestSession().id));
      return t.waitFor(() => receipts(t) > before);
    };

    it("shows the eSIM's data left and validity in My numbers and to a typed question, asking the partner at most every few minutes", async () => {
      const t = await travellerWithBoth();
      await t.send('/numbers');
      const numbers = t.last().text!;
      expect(numbers).toContain(rendered('usage.left_until', { left: '2.1 GB', total: '5 GB', date: untilDay }));
      expect(numbers).toMatch(new RegExp(`${words('usage.checked')} \\d{1,2}:\\d{2}`));
      // The Indonesian number's aggregator reports no usage: its block has no data line.
      expect(numbers.split('\n\n').find((block) => block.includes('5678'))).not.toContain('📶');

      const calls = usageCalls();
      for (const question of ['how much data left?', '还剩多少流量', 'sisa kuota berapa']) {
        await t.send(question);
        expect(t.last().text).toContain(words('usage.title'));
        expect(t.last().text).toContain(
          rendered('usage.left_until', { left: '2.1 GB', total: '5 GB', date: untilDay }),
        );
        expect(t.last().text).toContain(fragment('usage.not_reported'));
      }
      expect(usageCalls()).toBe(calls);
      h.advance(5 * 60_000);
      airalo.sims.get(ICCID)!.remainingMb = 1024;
      await t.send('how much data left');
      expect(t.last().text).toContain('1 GB of 5 GB left');
      expect(usageCalls()).toBe(calls + 1);
    });

    it("routes each line to its provider: the eSIM top-up to the partner (its order carries Kuota's reference), the number to the aggregator", async () => {
      const t = await travellerWithBoth();
      await t.send('/renew');
      await t.tap('•••• 0011');
      // Only the packages the partner offers this eSIM, not every eSIM plan in the catalog.
      expect(t.last().text).toContain('10 GB - 30 Days');
      expect(t.last().text).not.toContain('Indonesia eSIM');
      await t.tap('3 GB - 7 Days');
      const summary = t.last().text!;
      expect(summary).toContain(
        rendered('renew.summary_usage', {
          usage: rendered('usage.left_until', { left: '2.1 GB', total: '5 GB', date: untilDay }),
        }),
      );
      expect(summary).toContain('$9.99');
      await pay(t);
      const esimOrder = await h.database.db.order.findFirstOrThrow({ where: { state: 'fulfilled' } });
      expect(airalo.orders).toEqual([
        expect.objectContaining({
          iccid: ICCID,
          package_id: 'kuota-esim-7days-3gb-topup',
          description: `kuota:${esimOrder.id}`,
        }),
      ]);
      expect(digiflazz.transactions.size).toBe(0);

      await t.send('/renew');
      await t.tap('•••• 5678');
      await t.tap('AXIS Weekly 10 GB');
      await pay(t);
      // The first order's summary, edited into its receipt, can arrive after that payment: wait for the top-up itself.
      await expect
        .poll(() => [...digiflazz.transactions.values()])
        .toEqual([expect.objectContaining({ customer_no: '083812345678', buyer_sku_code: 'AXWK10' })]);
      expect(airalo.orders).toHaveLength(1);
    });

    it("auto-renews on low data from the partner's real usage, once per period, within the budget", async () => {
      const t = h.telegram.traveller(7050, { language_code: 'en' });
      await t.send('/start');
      await t.send('/link');
      await linkWithCode(t, ICCID, claimCode);
      await t.send('/numbers');
      await t.tap('Auto-renew');
      await t.tap(words('autorenew.setup'));
      await t.tap('3 GB - 7 Days');
      await t.send('50');
      await t.tap(rendered('autorenew.when_low_button', { data: '1 GB' }));
      await t.tap('Confirm');
      const setup = h.stripe.latestSession('setup');
      expect(
        (await h.stripe.deliver(h.appUrl, h.stripe.completeSetup(setup.id, { behaviour: 'succeeds' }))).body.outcome,
      ).toBe('applied');
      await t.waitFor((text) => text.includes(words('autorenew.card_saved_paused')));

      await h.app.autoRenew.tick();
      expect(h.stripe.offSessionIntents()).toHaveLength(0);
      airalo.sims.get(ICCID)!.remainingMb = 900;
      h.advance(5 * 60_000);
      await h.app.autoRenew.tick();
      expect(h.stripe.offSessionIntents()).toHaveLength(1);
      await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
      expect(airalo.orders).toEqual([
        expect.objectContaining({ iccid: ICCID, package_id: 'kuota-esim-7days-3gb-topup' }),
      ]);
      // The top-up renewed the line: a later tick, with the partner's new figures, charges nothing more.
      h.advance(5 * 60_000);
      await h.app.autoRenew.tick();
      expect(h.stripe.offSessionIntents()).toHaveLength(1);
      expect(airalo.orders).toHaveLength(1);
    });

    it('a paid eSIM top-up whose answer is lost is found by its reference, and the sweep never orders it again', async () => {
      const t = await travellerWithBoth();
      await t.send('/renew');
      await t.tap('•••• 0011');
      await t.tap('3 GB - 7 Days');
      airalo.answerNextTopUpLate(3000);
      await pay(t);
      // A 500 before the order was placed: pending until the sweep finds nothing under its reference, then ordered once.
      airalo.failNextTopUp(false);
      // The first order's summary carries a Pay button too: tap the one on this order's summary, once it is shown.
      const beforeSecond = t.lastMessageId();
      await t.send('/renew');
      await t.tapOn('•••• 0011', beforeSecond);
      await t.tapOn('3 GB - 7 Days', beforeSecond);
      await t.tapOn(words('renew.pay_card'), beforeSecond);
      await h.stripe.deliver(h.appUrl, h.stripe.pay(h.stripe.latestSession().id));
      await until(() => h.database.db.order.count({ where: { state: 'topping_up', providerRef: null } }), {
        what: 'a top-up pending with no reference',
      });
      expect(airalo.orders).toHaveLength(1);
      // On a busy machine an answer can outlast the sweep's wait: sweep again until both are settled, as the job would.
      const fulfilled = () => h.database.db.order.count({ where: { state: 'fulfilled' } });
      await until(
        async () => {
          if ((await fulfilled()) >= 2) return true;
          h.advance(2 * 60_000);
          await h.app.fulfilment.sweep();
          return false;
        },
        { what: 'both orders fulfilled', interval: 100 },
      );
      // One receipt each (the summaries, edited to show theirs, are not more).
      await expect.poll(() => receiptsOfTheirOwn(h, t)).toHaveLength(2);
      const orders = await h.database.db.order.findMany({ where: { state: 'fulfilled' } });
      expect(airalo.orders.map((o) => o.description).sort()).toEqual(orders.map((o) => `kuota:${o.id}`).sort());
    });

    it('warns before paying when the line has no days left', async () => {
      airalo.sims.get(ICCID)!.expiresAt = new Date(Date.now() - 86_400_000);
      const t = await travellerWithBoth();
      await t.send('/renew');
      await t.tap('•••• 0011');
      await t.tap('3 GB - 7 Days');
      expect(t.last().text).toContain(fragment('renew.warn_no_days').split('.')[0]!);
    });

    it("turns the partner's signed low-data push into one warning with a one-tap Renew; forged, junk and replayed pushes change nothing", async () => {
      const t = await travellerWithBoth('zh-CN');
      const push = airalo.webhook({ level: '90%', iccid: ICCID, package_name: 'kuota-3gb', remaining_percentage: 9 });
      const post = (body: string, signature?: string) =>
        fetch(`${h.appUrl}/webhooks/esim`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(signature === undefined ? {} : { 'airalo-signature': signature }),
          },
          body,
        });
      const forged = airalo.webhook({ level: '90%', iccid: ICCID, remaining_percentage: 9 }, 'not-the-secret');
      expect((await post(forged.body, forged.signature)).status).toBe(400);
      expect((await post(push.body)).status).toBe(400);
      expect((await post('{"level":', 'ab'.repeat(64))).status).toBe(400);
      expect((await post(push.body.replace('90%', '75%'), push.signature)).status).toBe(400);

      const first = await post(push.body, push.signature);
      expect([first.status, await first.json()]).toEqual([200, { received: true, outcome: 'applied' }]);
      const replay = await post(push.body, push.signature);
      expect(await replay.json()).toEqual({ received: true, outcome: 'duplicate' });

      const warning = await t.waitFor((text) => text.includes('流量已用 90%'));
      expect(warning.text).toContain('•••• 0011');
      await new Promise((r) => setTimeout(r, 300));
      expect(t.messages().filter((m) => m.text?.includes('流量已用'))).toHaveLength(1);
      await t.tap('🔄 续费');
      expect(t.last().text).toContain('0011');
      // The partner's usage report still says 2.1 GB (it caches); the push's 9% left is what My numbers shows.
      await t.send('/numbers');
      expect(t.last().text).toMatch(/剩余 460\s?MB/);
    });
  },
);

describe.each(databaseKinds)('low-data warnings from polling, for a provider that pushes none (%s)', (db) => {
  let h: Harness;
  const NUMBER = '6283812345678';
  beforeEach(async () => {
    h = await startHarness({ db, env: { LOW_DATA_THRESHOLDS: '75,90' } });
  });
  afterEach(async () => {
    await h.stop();
  });

  async function traveller(quiet: [number, number] = [0, 0]): Promise<Traveller> {
    const t = h.telegram.traveller(8100, { language_code: 'id' });
    await t.send('/start');
    await t.tap('Tautkan nomor');
    await linkWithCode(t, '0838 1234 5678', () => h.simulator.lastCodeFor(NUMBER)!);
    await h.database.db.user.updateMany({ data: { quietStart: quiet[0], quietEnd: quiet[1] } });
    return t;
  }
  const warnings = (t: Traveller) => t.messages().filter((m) => m.text?.includes('kuota sudah terpakai'));
  const checkAfterCache = async () => {
    h.advance(5 * 60_000);
    return h.app.usage.tick();
  };

  it("warns once at 75% and once at 90% per plan period, in the traveller's language, and again after a renewal", async () => {
    const t = await traveller();
    h.simulator.setRemainingData(NUMBER, 1000, 5000);
    await h.app.usage.tick();
    await t.waitFor((text) => text.includes('75% kuota'));
    expect(warnings(t).at(-1)!.text).toContain('📶 •••• 5678: 75% kuota sudah terpakai.');
    await checkAfterCache();
    h.simulator.setRemainingData(NUMBER, 400, 5000);
    await checkAfterCache();
    await t.waitFor((text) => text.includes('90% kuota'));
    await checkAfterCache();
    await new Promise((r) => setTimeout(r, 300));
    expect(warnings(t)).toHaveLength(2);

    // A renewal starts a new plan period: the thresholds count again.
    await h.database.db.line.updateMany({ data: { expiresAt: new Date(Date.now() + 30 * 86_400_000) } });
    h.simulator.setRemainingData(NUMBER, 400, 5000);
    await checkAfterCache();
    await t.waitFor(() => warnings(t).length === 3);
  });

  it('holds a warning until quiet hours end, and sends none once switched off in Settings', async () => {
    const hour = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Jakarta', hour: '2-digit', hourCycle: 'h23' }).format(h.now()),
    );
    const t = await traveller([hour, (hour + 2) % 24]);
    h.simulator.setRemainingData(NUMBER, 1000, 5000);
    await h.app.usage.tick();
    const row = await h.database.db.outboxMessage.findFirstOrThrow({ where: { kind: 'low_data' } });
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(h.now().getTime() + 60 * 60_000);

    await t.send('/settings');
    await t.tap('Peringatan kuota menipis: aktif');
    expect(
      t
        .last()
        .reply_markup?.inline_keyboard.flat()
        .map((b) => b.text),
    ).toContain('📶 Peringatan kuota menipis: nonaktif');
    h.simulator.setRemainingData(NUMBER, 100, 5000);
    await checkAfterCache();
    expect(await h.database.db.outboxMessage.count({ where: { kind: 'low_data' } })).toBe(1);
  });
});
