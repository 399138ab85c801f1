import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AiraloGateway } from '../../src/adapters/provider/airalo.js';
import { withLuhnDigit } from '../../src/domain/iccid.js';
import { FakeAiralo } from '../fakes/airalo-api.js';
import type { Traveller } from '../fakes/telegram-api.js';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { operatorInChat } from '../helpers/journeys.js';
import { launchChromium, SCREENS, signIn } from '../helpers/console-browser.js';
import { RECEIPT_HEADLINE, fragment, words, rendered } from '../helpers/copy.js';

const OPERATOR = 990001;
const ICCID = withLuhnDigit('896200000000000001');
const STRANGER_ICCID = withLuhnDigit('896200000000000099');

describe.each(databaseKinds)("the eSIM partner as Airalo's documentation describes it (%s)", (db) => {
  let h: Harness;
  let airalo: FakeAiralo;
  const start = async (env: Record<string, string> = {}) => {
    airalo = await FakeAiralo.start();
    airalo.addSim(ICCID, { remainingMb: 2150, totalMb: 5120, expiresAt: new Date(Date.now() + 5 * 86_400_000) });
    h = await startHarness({
      db,
      publicUrl: true,
      env: { ADMIN_IDS: String(OPERATOR), CATALOG_SYNC_NEW: 'sell', ...env },
      providers: {
        iccid: new AiraloGateway({
          baseUrl: airalo.url,
          clientId: 'kuota-client',
          clientSecret: 'kuota-secret',
          webhookSecret: 'airalo-hook-secret',
          timeoutMs: 1500,
        }),
      },
    });
    await h.database.db.user.updateMany({ data: { quietStart: 0, quietEnd: 0 } });
  };
  beforeEach(() => start());
  afterEach(async () => {
    await h.stop();
    await airalo.close();
  });

  /** The operator's /claimcode: the code from the printed deep link. */
  async function claimCode(op: Traveller, iccid = ICCID): Promise<string> {
    await op.send(`/claimcode ${iccid}`);
    const link = /start=(c_[A-Z0-9]{10})/.exec(op.last().text ?? '');
    expect(link, op.last().text).not.toBeNull();
    return link![1]!;
  }
  async function linkedTraveller(id: number, op: Traveller): Promise<Traveller> {
    const t = h.telegram.traveller(id, { language_code: 'en' });
    await t.send(`/start ${await claimCode(op)}`);
    expect(t.last().text).toContain(words('link.linked', 1));
    await h.database.db.user.updateMany({ data: { quietStart: 0, quietEnd: 0 } });
    return t;
  }
  const post = (body: string, signature: string) =>
    fetch(`${h.appUrl}/webhooks/esim`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'airalo-signature': signature },
      body,
    });
  const operatorMessages = (op: Traveller, words: string) => op.messages().filter((m) => m.text?.includes(words));

  it('an operator issues a claim code per ICCID; it links the eSIM once, is refused the second time, and an eSIM the partner does not own gets a clear answer', async () => {
    const op = await operatorInChat(h, OPERATOR);
    const code = await claimCode(op);
    expect(op.last().text).toContain(`https://t.me/${h.telegram.botInfo.username}?start=${code}`);
    // Only its hash is kept.
    expect(JSON.stringify(await h.database.db.claimCode.findMany())).not.toContain(code.slice(2));

    const first = h.telegram.traveller(7201, { language_code: 'en' });
    await first.send(`/start ${code}`);
    expect(first.last().text).toContain(rendered('link.linked', { line: '•••• 0011' }));
    const second = h.telegram.traveller(7202, { language_code: 'en' });
    await second.send(`/start ${code}`);
    expect(second.last().text).toContain(words('link.claim_invalid_one'));
    expect(await h.database.db.line.count({ where: { identifier: ICCID } })).toBe(1);

    // The operator cannot issue a code for an eSIM the partner account does not own.
    await op.send(`/claimcode ${STRANGER_ICCID}`);
    expect(op.last().text).toContain(words('operator.claim_not_owned'));
    // A traveller who types such an ICCID is told plainly, never "try again later".
    await second.send('/link');
    await second.send(STRANGER_ICCID);
    expect(second.last().text).toContain(words('link.not_owned'));
    expect(second.last().text).not.toContain(words('link.claim_invalid_one'));

    // At the link step: the ICCID, then the code from the receipt typed as printed.
    const another = await claimCode(op);
    await second.send('/link');
    await second.send(ICCID);
    expect(second.last().text).toContain(words('link.ask_claim_code', 1));
    await second.send(`${another.slice(2, 7).toLowerCase()}-${another.slice(7)}`);
    await second.tap('Skip');
    expect(second.last().text).toContain(rendered('link.linked', { line: '•••• 0011' }));
    // Airalo has no one-time code endpoint, and Kuota never asked for one.
    expect(airalo.requests.some((r) => r.path.includes('otp'))).toBe(false);
  });

  it('answers HEAD on the webhook URL with 200, so the operator can opt in from the chat; a signed unknown level is stored and answered 2xx', async () => {
    expect((await fetch(`${h.appUrl}/webhooks/esim`, { method: 'HEAD' })).status).toBe(200);
    const op = await operatorInChat(h, OPERATOR);
    await op.send('/esim');
    expect(op.last().text).toContain(words('operator.esim_not_opted_in'));
    await op.tap(words('operator.esim_opt_in_low_data'));
    await op.waitFor((text) => text.includes(`${words('operator.esim_opt_in_done')} webhook_low_data`));
    expect(airalo.optIns.get('webhook_low_data')).toEqual({
      type: 'webhook_low_data',
      contact_point: `${h.appUrl}/webhooks/esim`,
    });
    expect(op.last().text).toContain(`Notifications: webhook_low_data → ${h.appUrl}/webhooks/esim`);

    await linkedTraveller(7301, op);
    const answer = await airalo.notify('webhook_low_data', {
      level: '50%',
      iccid: ICCID,
      package_name: 'kuota-3gb',
      remaining_percentage: 50,
    });
    expect([answer.status, await answer.json()]).toEqual([200, { received: true, outcome: 'unknown_level' }]);
    expect(await h.database.db.processedEvent.count({ where: { source: 'esim' } })).toBe(1);
    expect(h.logs.some((l) => l.includes('"level":40') && l.includes('unknown level: 50%'))).toBe(true);
    expect(h.logs.some((l) => l.includes('bad signature'))).toBe(false);
  });

  it('a warning is applied once per plan period, a failed attempt is applied on the retry, and junk figures are refused naming the field', async () => {
    const op = await operatorInChat(h, OPERATOR);
    const t = await linkedTraveller(7401, op);
    const push = airalo.webhook({ level: '90%', iccid: ICCID, package_name: 'kuota-3gb', remaining_percentage: 9 });

    // The first delivery fails after the event was written: nothing of it stays, so the retry applies it.
    const original = h.app.usage.onLowDataPush;
    h.app.usage.onLowDataPush = (iccid, used, once) =>
      original(iccid, used, {
        eventFor: once!.eventFor,
        record: async (tx, id) => {
          await once!.record(tx, id);
          throw new Error('connection lost');
        },
      });
    expect((await post(push.body, push.signature)).status).toBe(500);
    h.app.usage.onLowDataPush = original;
    expect(await (await post(push.body, push.signature)).json()).toEqual({ received: true, outcome: 'applied' });
    expect(await (await post(push.body, push.signature)).json()).toEqual({ received: true, outcome: 'duplicate' });
    await t.waitFor((text) => text.includes('90%'));

    // The next plan period's identical warning is new.
    await h.database.db.line.updateMany({ data: { expiresAt: new Date(Date.now() + 40 * 86_400_000) } });
    expect(await (await post(push.body, push.signature)).json()).toEqual({ received: true, outcome: 'applied' });
    await t.waitFor(() => t.messages().filter((m) => m.text?.includes('90%')).length === 2);

    for (const remaining of [-40, -1e12, '9']) {
      const junk = airalo.webhook({ level: '90%', iccid: ICCID, remaining_percentage: remaining });
      const answer = await post(junk.body, junk.signature);
      expect([answer.status, await answer.json()]).toEqual([422, { error: 'invalid field: remaining_percentage' }]);
    }
    // A usage report with junk in it is not shown: My numbers keeps the last good figure.
    h.advance(10 * 60_000);
    Object.assign(airalo.sims.get(ICCID)!, { remainingMb: -2048 });
    await t.send('/numbers');
    expect(t.last().text).not.toMatch(/-\s?2[,.]?048/);
    expect(t.last().text).toMatch(/📶 \d/);

    // Processed events are purged after their retention.
    h.advance(31 * 86_400_000);
    expect((await h.app.housekeeping.tick()).processedEvents).toBeGreaterThanOrEqual(2);
  });

  it("keeps a credit refusal's code and reason on the order, tells the operators once per incident, and warns at the credit limit", async () => {
    await h.app.services.esim.sync!.run();
    const op = await operatorInChat(h, OPERATOR);
    const t = await linkedTraveller(7501, op);
    airalo.credit = 1;
    const pay = async () => {
      await t.send('/renew');
      await t.tap('3 GB - 7 Days');
      await t.tap(words('renew.pay_card'));
      await h.stripe.deliver(h.appUrl, h.stripe.pay(h.stripe.latestSession().id));
    };
    await pay();
    await t.waitFor((text) => text.includes(fragment('notify.refunded')));
    const order = await h.database.db.order.findFirstOrThrow({ where: { failureReason: { not: null } } });
    expect(order.failureReason).toMatch(/^Airalo 422 code 11: Insufficient Airalo Credit/);
    await op.waitFor((text) => text.includes(words('operator.partner_credit_out')));
    await pay();
    await t.waitFor(() => t.messages().filter((m) => m.text?.includes(fragment('notify.refunded'))).length === 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(operatorMessages(op, words('operator.partner_credit_out'))).toHaveLength(1);
    // The log line is the service's own English (not traveller copy), so the test names it rather than a locale key.
    expect(h.logs.some((l) => l.includes('"partnerCode":11') && l.includes('partner refused a top-up'))).toBe(true);

    await op.send('/esim');
    expect(op.last().text).toContain(rendered('operator.esim_balance', { balance: '$1.00' }));
    await op.tap(words('operator.esim_opt_in_credit'));
    await op.waitFor((text) => text.includes(`${words('operator.esim_opt_in_done')} webhook_credit_limit`));
    const answer = await airalo.notify('webhook_credit_limit', {
      message: 'Surpassed 80% of the credit limit balance',
      remaining: 225.35,
    });
    expect(await answer.json()).toEqual({ received: true, outcome: 'credit_limit' });
    await op.waitFor((text) => text.includes('Surpassed 80% of the credit limit balance ($225.35 left)'));
  });

  it('syncs the package list: new packages priced, gone ones hidden but kept, a changed cost flagged without touching a confirmed price; failures alert after N in a row', async () => {
    expect(await h.app.services.esim.sync!.tick()).toEqual({ added: 4, held: 0, hidden: 0, repriced: 0, unchanged: 0 });
    expect(h.logs.some((l) => l.includes('"msg":"catalog sync"') && l.includes('"added":4'))).toBe(true);
    const op = await operatorInChat(h, OPERATOR);
    const t = await linkedTraveller(7601, op);
    await t.send('/renew');
    await t.tap('3 GB - 7 Days');
    await t.tap(words('renew.pay_card'));
    const session = h.stripe.latestSession();
    const confirmed = await h.database.db.order.findFirstOrThrow({ where: { stripeSessionId: session.id } });
    expect(session.amount_total).toBe(confirmed.amountMinor);

    const operator = airalo.countries[0]!.operators[0]!;
    operator.packages.find((p) => p.id === 'kuota-esim-7days-3gb-topup')!.net_price = 8.4;
    operator.packages = operator.packages.filter((p) => p.id !== 'kuota-esim-30days-10gb-topup');
    expect(await h.app.services.esim.sync!.run()).toMatchObject({ added: 0, hidden: 1, repriced: 1 });
    const gone = await h.database.db.plan.findUniqueOrThrow({ where: { code: 'airalo-kuota-esim-30days-10gb-topup' } });
    expect(gone).toMatchObject({ active: false, goneAt: expect.any(Date) });
    const repriced = await h.database.db.plan.findUniqueOrThrow({
      where: { code: 'airalo-kuota-esim-7days-3gb-topup' },
    });
    expect(repriced).toMatchObject({ costMinor: 840, previousCostMinor: 650, costChangedAt: expect.any(Date) });
    expect(repriced.priceMinor).toBeGreaterThan(confirmed.amountMinor);

    // The confirmed order keeps its price: it is paid and topped up at what the traveller agreed to.
    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    expect(await h.database.db.order.findUniqueOrThrow({ where: { id: confirmed.id } })).toMatchObject({
      amountMinor: confirmed.amountMinor,
      state: 'fulfilled',
    });
    await t.send('/renew');
    const offered =
      t
        .last()
        .reply_markup?.inline_keyboard.flat()
        .map((b) => b.text) ?? [];
    expect(offered.some((b) => b.startsWith('3 GB - 7 Days'))).toBe(true);
    expect(offered.some((b) => b.startsWith('10 GB - 30 Days'))).toBe(false);

    for (let i = 0; i < 4; i++) {
      airalo.rateLimitNext(/\/v2\/packages$/, '3600');
      expect(await h.app.services.esim.sync!.run()).toBeNull();
    }
    await op.waitFor((text) => text.includes(fragment('operator.partner_sync_failing')));
    await new Promise((r) => setTimeout(r, 300));
    expect(operatorMessages(op, fragment('operator.partner_sync_failing'))).toHaveLength(1);
  });
});

describe.each(databaseKinds)('new partner packages held for approval (%s)', (db) => {
  it('a sync with CATALOG_SYNC_NEW=hold keeps new packages off sale until the operator switches them on', async () => {
    const airalo = await FakeAiralo.start();
    const h = await startHarness({
      db,
      providers: {
        iccid: new AiraloGateway({
          baseUrl: airalo.url,
          clientId: 'kuota-client',
          clientSecret: 'kuota-secret',
          webhookSecret: 'airalo-hook-secret',
        }),
      },
    });
    try {
      expect(await h.app.services.esim.sync!.run()).toMatchObject({ added: 0, held: 4 });
      expect(await h.database.db.plan.count({ where: { provider: 'airalo', active: true } })).toBe(0);
      expect(await h.database.db.plan.count({ where: { provider: 'airalo', heldAt: { not: null } } })).toBe(4);
    } finally {
      await h.stop();
      await airalo.close();
    }
  });
});

describe("the eSIM partner on the console's provider page, in a real browser", () => {
  it('shows the partner credit and opt-in, opts in with a button, issues a claim code, and flags a changed cost in the catalog', async () => {
    const airalo = await FakeAiralo.start();
    airalo.addSim(ICCID);
    const h = await startHarness({
      publicUrl: true,
      env: { ADMIN_IDS: String(OPERATOR), CATALOG_SYNC_NEW: 'sell' },
      providers: {
        iccid: new AiraloGateway({
          baseUrl: airalo.url,
          clientId: 'kuota-client',
          clientSecret: 'kuota-secret',
          webhookSecret: 'airalo-hook-secret',
        }),
      },
    });
    const browser = await launchChromium();
    try {
      const page = await (await browser.newContext({ locale: 'en-GB', viewport: SCREENS[0] })).newPage();
      await signIn(h, page, OPERATOR);
      await page.goto(`${h.appUrl}/console/provider`);
      expect(await page.locator('[data-partner-balance]').textContent()).toContain('1,000.00');
      expect(await page.locator('[data-opt-in]').textContent()).toContain(words('console:provider.esim_not_opted_in'));
      await page.getByRole('button', { name: words('console:provider.esim_opt_in_low') }).click();
      await page
        .getByText(`${words('operator.esim_opt_in_done')} webhook_low_data`)
        .first()
        .waitFor();
      expect(airalo.optIns.get('webhook_low_data')?.contact_point).toBe(`${h.appUrl}/webhooks/esim`);

      await page.getByLabel('ICCID').fill(STRANGER_ICCID);
      await page.getByRole('button', { name: words('console:provider.claim_issue') }).click();
      await page.getByText(words('console:provider.claim_not_owned')).waitFor();
      expect(page.url()).toMatch(/\/console\/provider\?claim=not_owned$/);
      await page.getByLabel('ICCID').fill(ICCID);
      await page.getByRole('button', { name: words('console:provider.claim_issue') }).click();
      // Post/Redirect/Get: the code is shown on a GET page, and the address does not carry it.
      await page.waitForURL(/\/console\/provider\?claim=issued$/);
      const card = await page.locator('[data-claim-code]').textContent();
      const link = /start=(c_[A-Z0-9]{10})/.exec(card ?? '');
      expect(link).not.toBeNull();
      expect(page.url()).not.toContain(link![1]!.slice(2));
      const claimAudits = () => h.database.db.auditEntry.count({ where: { action: 'esim.claim_code' } });
      expect(await claimAudits()).toBe(1);
      // A reload asks for nothing again: no second code, no second audit entry, and the code is not shown twice.
      const again = (await page.reload())!;
      expect(again.request().method()).toBe('GET');
      expect(await page.locator('[data-claim-code]').count()).toBe(0);
      expect(await claimAudits()).toBe(1);
      expect(await h.database.db.claimCode.count()).toBe(1);
      await page.goto(`${h.appUrl}/console/audit`);
      expect(
        await page.locator('[data-audit] tr', { hasText: words('console:audit.action.esim.claim_code') }).textContent(),
      ).toContain(`•••• ${ICCID.slice(-4)}`);
      const t = h.telegram.traveller(7701, { language_code: 'en' });
      await t.send(`/start ${link![1]}`);
      expect(t.last().text).toContain(words('link.linked', 1));

      await h.app.services.esim.sync!.run();
      airalo.countries[0]!.operators[0]!.packages.find((p) => p.id === 'kuota-esim-7days-3gb-topup')!.net_price = 8.4;
      await h.app.services.esim.sync!.run();
      await page.goto(`${h.appUrl}/console/catalog`);
      expect(
        await page.locator('[data-plan="airalo-kuota-esim-7days-3gb-topup"] [data-cost-changed]').textContent(),
      ).toContain('(was $6.50)');
    } finally {
      await browser.close();
      await h.stop();
      await airalo.close();
    }
  });
});
