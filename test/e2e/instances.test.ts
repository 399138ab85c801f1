import { afterEach, describe, expect, it } from 'vitest';
import { postgresUrl } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { linkAnother, orderSummary, travellerWithLine } from '../helpers/journeys.js';
import { RECEIPT_HEADLINE, words } from '../helpers/copy.js';

// SQLite runs one instance; several instances share one PostgreSQL.
describe.runIf(postgresUrl)('three instances behind one webhook, on one PostgreSQL', () => {
  const instances: Harness[] = [];
  afterEach(async () => {
    for (const h of instances.splice(0).reverse()) await h.stop();
  });

  async function threeInstances() {
    const first = await startHarness({ db: 'postgresql' });
    instances.push(first);
    for (let i = 0; i < 2; i++) instances.push(await startHarness({ db: 'postgresql', joining: first }));
    first.telegram.balance(instances.map((h) => `${h.appUrl}/webhooks/telegram`));
    return first;
  }

  it("keeps one traveller's conversation in one order when their updates reach all three at once", async () => {
    const h = await threeInstances();
    const t = h.telegram.traveller(61_001);
    await t.send('/start');
    await t.tap(words('menu.link'));
    expect(t.last().text).toContain('number');

    // The number three times (an impatient traveller), delivered last first, to the three instances at once.
    const before = t.messages().length;
    await h.telegram.together(async () => {
      for (let i = 0; i < 3; i++) await t.send('0838 1234 5678');
    });
    const answers = t
      .messages()
      .slice(before)
      .map((m) => m.text ?? '');

    // One code went out; the conversation moved on once, and the two later numbers were read as
    // not-a-code, after the code was asked for.
    expect(h.simulator.outbox.filter((c) => c.identifier === '6283812345678')).toHaveLength(1);
    expect(answers).toHaveLength(3);
    expect(answers[0]).toContain(words('link.code_sent'));
    expect(answers.slice(1).filter((a) => a.includes(words('link.code_sent')))).toEqual([]);

    // The code, and the rest of the conversation, on whichever instance gets it.
    await t.send(h.simulator.lastCodeFor('6283812345678')!);
    await t.tap('Skip');
    expect(t.last().text).toContain(words('link.linked', 1));
    expect(await h.database.db.line.count({ where: { identifier: '6283812345678' } })).toBe(1);
  });

  it('answers in the language a traveller chose on another instance', async () => {
    const h = await threeInstances();
    const [a, b] = instances as [Harness, Harness];
    const route = (to: Harness) => h.telegram.balance([`${to.appUrl}/webhooks/telegram`]);
    const t = h.telegram.traveller(61_002, { first_name: 'Ana' });
    const greeting = (h: Harness, language: string) => h.app.i18n.getFixedT(language)('menu.greeting', { name: 'Ana' });

    route(a);
    await t.send('/start');
    expect(t.last().text).toBe(greeting(a, 'en'));
    route(b);
    await t.tapData('lang:id');
    route(a);
    await t.send('/start');
    expect(t.last().text).toBe(greeting(a, 'id'));
  });

  it('shows in My numbers the top-up another instance applied, and the number linked there', async () => {
    const h = await threeInstances();
    const [a, b] = instances as [Harness, Harness];
    const route = (to: Harness) => h.telegram.balance([`${to.appUrl}/webhooks/telegram`]);
    route(a);
    const t = await travellerWithLine(h);
    const myNumbers = async (on: Harness) => {
      route(on);
      await t.send('/numbers');
      return t.last().text ?? '';
    };
    const before = await myNumbers(a);

    // Paid and topped up through instance b: Stripe's webhook reaches b.
    route(a);
    await orderSummary(t);
    await t.tap(words('renew.pay_card'));
    await h.stripe.deliver(b.appUrl, h.stripe.pay(h.stripe.latestSession().id));
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    const onB = await myNumbers(b);
    expect(onB).not.toBe(before);
    expect(onB).toContain('AXIS Weekly 10 GB');
    expect(await myNumbers(a)).toBe(onB);

    // A second number linked through b is listed by a at once.
    route(b);
    await linkAnother(h, t, '0838 7654 3210');
    expect(await myNumbers(a)).toContain('3210');
  });
});
