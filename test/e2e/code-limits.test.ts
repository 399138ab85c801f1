import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/database.js';
import { SHIPPED_CODE_LIMITS, startHarness, type Harness } from '../helpers/harness.js';
import { words, rendered } from '../helpers/copy.js';

const NUMBER = '0838 1234 5678';
const MSISDN = '6283812345678';

describe.each(databaseKinds)('one-time code limits (%s)', (db) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ db, env: SHIPPED_CODE_LIMITS });
  });
  afterEach(async () => {
    await h.stop();
  });

  const smsTo = (msisdn: string) => h.simulator.outbox.filter((c) => c.identifier === msisdn).length;
  const wrongFor = (msisdn: string) => (h.simulator.lastCodeFor(msisdn) === '000000' ? '111111' : '000000');

  async function traveller(id: number, language = 'en') {
    const t = h.telegram.traveller(id, { language_code: language });
    await t.send('/start');
    return t;
  }

  it('counts wrong codes per number across /cancel and a new code, then locks it', async () => {
    const t = await traveller(7101);
    await t.send('/link');
    await t.send(NUMBER);
    for (const left of [4, 3, 2]) {
      await t.send(wrongFor(MSISDN));
      expect(t.last().text).toContain(rendered('link.wrong_code', { count: left }));
    }
    await t.send('/cancel');
    h.advance(61_000);
    await t.send('/link');
    await t.send(NUMBER);
    expect(t.last().text).toContain(words('link.code_sent'));
    await t.send(wrongFor(MSISDN));
    expect(t.last().text).toContain(rendered('link.wrong_code', { count: 1 }));
    await t.send(wrongFor(MSISDN));
    expect(t.last().text).toContain(words('link.locked'));

    // Another Telegram account gets no fresh tries at the same number either, and no SMS goes out.
    const other = await traveller(7102);
    const sent = smsTo(MSISDN);
    await other.send('/link');
    await other.send(NUMBER);
    expect(other.last().text).toContain(words('link.locked'));
    expect(smsTo(MSISDN)).toBe(sent);
    expect(await h.database.db.line.count()).toBe(0);
  });

  it('waits a minute between two codes to one number, says how long, and takes the number again in the same step', async () => {
    const t = await traveller(7201);
    await t.send('/link');
    await t.send(NUMBER);
    await t.send('/link');
    await t.send(NUMBER);
    expect([59, 60].map((count) => rendered('link.cooldown', { count }))).toContain(t.last().text);
    expect(smsTo(MSISDN)).toBe(1);
    h.advance(61_000);
    await t.send(NUMBER);
    expect(t.last().text).toContain(words('link.code_sent'));
    expect(smsTo(MSISDN)).toBe(2);
    await t.send(h.simulator.lastCodeFor(MSISDN)!);
    expect(t.last().text).toContain(words('link.ask_label'));
  });

  it('sends at most 5 codes a day to one number, and says (in Chinese) when to try again', async () => {
    const t = await traveller(7301, 'zh-hans');
    for (let i = 0; i < 5; i++) {
      await t.send('/link');
      await t.send(NUMBER);
      expect(t.last().text, `code ${i + 1}`).toContain('验证码');
      h.advance(61_000);
    }
    await t.send('/link');
    await t.send(NUMBER);
    expect(t.last().text).toMatch(/这个号码今天收到的验证码已达上限。请在 .*\d.* 之后再试/);
    expect(smsTo(MSISDN)).toBe(5);

    h.advance(24 * 3600_000);
    await t.send('/link');
    await t.send(NUMBER);
    expect(smsTo(MSISDN)).toBe(6);
  });

  it('lets one traveller try at most 5 numbers and ask for 10 codes a day', async () => {
    const t = await traveller(7401);
    const numbers = ['0838 1111 2201', '0838 1111 2202', '0838 1111 2203', '0838 1111 2204', '0838 1111 2205'];
    for (const n of numbers) {
      await t.send('/link');
      await t.send(n);
      expect(t.last().text, n).toContain(words('link.code_sent'));
    }
    await t.send('/link');
    await t.send('0838 1111 2206');
    expect(t.last().text).toContain(words('link.numbers_daily'));
    expect(t.last().text!.slice(words('link.numbers_daily').length)).toMatch(/\d/);

    h.advance(61_000);
    for (const n of numbers) {
      await t.send('/link');
      await t.send(n);
      expect(t.last().text, n).toContain(words('link.code_sent'));
    }
    h.advance(61_000);
    await t.send('/link');
    await t.send(numbers[0]!);
    expect(t.last().text).toContain(words('link.traveller_daily'));
    expect(t.last().text!.slice(words('link.traveller_daily').length)).toMatch(/\d/);
    expect(h.simulator.outbox.length).toBe(10);
  });
});
