import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { checkout, travellerWithLine } from '../helpers/journeys.js';
import { RECEIPT_HEADLINE, words, phrase, rendered } from '../helpers/copy.js';
import { until } from '../helpers/wait.js';

const HOUR = 3_600_000;

describe.each(databaseKinds)('expiry reminders on %s', (db) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ db });
  });
  afterEach(async () => {
    await h.stop();
  });

  /** Sets the line to expire `hours` from the app's now, and the traveller's quiet hours off unless asked. */
  async function expireIn(hours: number, quiet: [number, number] = [0, 0]) {
    const line = await h.database.db.line.findFirstOrThrow();
    const expiresAt = new Date(h.now().getTime() + hours * HOUR);
    await h.database.db.line.update({ where: { id: line.id }, data: { expiresAt, planCode: 'axis-weekly-10gb' } });
    await h.database.db.user.updateMany({ data: { quietStart: quiet[0], quietEnd: quiet[1] } });
    return { line, expiresAt };
  }

  /** Runs the delivery worker until nothing due is left (one message a second per chat makes that a few passes). */
  const deliver = () =>
    until(
      async () => {
        await h.app.outbox.runOnce();
        return !(await h.database.db.outboxMessage.count({ where: { state: { in: ['pending', 'sending'] } } }));
      },
      { what: 'the outbox to send everything', interval: 100 },
    );
  const reminders = (t: { messages(): Array<{ text?: string }> }) =>
    t.messages().filter((m) => m.text?.includes('⏰') || m.text?.includes('⚠️'));

  it("reminds once per window, in the traveller's language and timezone, with a one-tap renewal of the last plan", async () => {
    const t = await travellerWithLine(h, '0838 1234 5678', 'id');
    const { expiresAt } = await expireIn(70);
    expect((await h.app.reminders.tick()).queued).toBe(1);
    // A second tick, and a second instance's tick, queue nothing more.
    expect((await h.app.reminders.tick()).queued).toBe(0);
    await deliver();
    const [reminder] = reminders(t);
    const day = new Intl.DateTimeFormat('id', {
      timeZone: 'Asia/Jakarta',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    }).format(expiresAt);
    expect(reminder!.text).toMatch(new RegExp(`Paket untuk •••• 5678 berakhir (lusa|dalam 3 hari) \\(${day}`));
    await t.tap('Perpanjang sekarang');
    expect(t.last().text).toContain('AXIS Mingguan 10 GB');
    expect(t.last().text).toContain('Mohon periksa pesanan Anda');

    h.advance(48 * HOUR); // now 22 hours left: the 1-day window
    expect((await h.app.reminders.tick()).queued).toBe(1);
    h.advance(20 * HOUR); // 2 hours left
    expect((await h.app.reminders.tick()).queued).toBe(1);
    h.advance(3 * HOUR); // expired
    expect((await h.app.reminders.tick()).queued).toBe(1);
    await deliver();
    const texts = reminders(t).map((m) => m.text!);
    expect(texts).toHaveLength(4);
    expect(texts[3]).toContain('sudah berakhir');
    expect(texts[3]).toContain('sekitar 30 hari lagi');
  });

  it('sends only the reminder that fits when a line is found late', async () => {
    await travellerWithLine(h);
    await expireIn(2);
    expect((await h.app.reminders.tick()).queued).toBe(1);
    const row = await h.database.db.outboxMessage.findFirstOrThrow({ where: { kind: 'reminder' } });
    expect((row.payload as { window: string }).window).toBe('3h');
  });

  it('holds a reminder during quiet hours, but not when the plan would lapse first', async () => {
    await travellerWithLine(h);
    const localHour = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Jakarta', hour: '2-digit', hourCycle: 'h23' }).format(
        new Date(),
      ),
    );
    // Quiet hours that hold right now, ending four hours from now.
    await expireIn(60, [localHour, (localHour + 4) % 24]);
    await h.app.reminders.tick();
    const held = await h.database.db.outboxMessage.findFirstOrThrow({ where: { kind: 'reminder' } });
    expect(held.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 3 * HOUR);
    expect(await h.app.outbox.runOnce()).toBe(0);

    await h.database.db.outboxMessage.deleteMany();
    await expireIn(2, [localHour, (localHour + 4) % 24]);
    await h.app.reminders.tick();
    const urgent = await h.database.db.outboxMessage.findFirstOrThrow({ where: { kind: 'reminder' } });
    expect(urgent.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('drops a reminder for a line renewed meanwhile, and sends none when switched off', async () => {
    const t = await travellerWithLine(h);
    const localHour = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Jakarta', hour: '2-digit', hourCycle: 'h23' }).format(
        new Date(),
      ),
    );
    await expireIn(20, [localHour, (localHour + 4) % 24]); // held until quiet hours end
    expect((await h.app.reminders.tick()).queued).toBe(1);
    const session = await checkout(h, t);
    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    h.advance(5 * HOUR);
    await deliver();
    expect(reminders(t)).toHaveLength(0);
    expect((await h.database.db.outboxMessage.findFirstOrThrow({ where: { kind: 'reminder' } })).state).toBe('sent');

    await h.database.db.outboxMessage.deleteMany({ where: { kind: 'reminder' } });
    await t.send('/settings');
    await t.tap(rendered('settings.toggle_expiry', { state: words('settings.on') }));
    expect(t.last().text).toContain(phrase('settings.title', { expiry: words('settings.off') }));
    await expireIn(20);
    h.advance(HOUR);
    expect((await h.app.reminders.tick()).queued).toBe(0);
  });
});

describe('settings', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('changes the timezone, and dates follow it', async () => {
    const t = await travellerWithLine(h);
    await h.database.db.line.updateMany({ data: { expiresAt: new Date('2027-01-10T16:30:00Z') } });
    await t.send('/numbers');
    expect(t.last().text).toContain('Jan 10, 2027, 11:30 PM');
    await t.send('/settings');
    const zoneLabel = words('settings.title').split('\n').pop()!;
    expect(t.last().text).toContain(`${zoneLabel} Asia/Jakarta`);
    await t.tap(words('settings.timezone'));
    await t.tap('Tokyo');
    expect(t.last().text).toContain(`${zoneLabel} Asia/Tokyo`);
    await t.send('/numbers');
    expect(t.last().text).toContain('Jan 11, 2027, 1:30 AM');
    await t.send('/settings');
    await t.tap(words('settings.quiet'));
    await t.tap('11:00 PM–7:00 AM');
    expect(t.last().text).toContain(phrase('settings.title', { quiet: '11:00 PM–7:00 AM' }));
  });

  it('offers "no quiet hours" as a button worded as one, and shows it in the settings like the other values', async () => {
    // Vietnamese writes the value in lower case beside "bật"/"tắt", and the picker's button as a button.
    const t = h.telegram.traveller(9400, { language_code: 'vi' });
    await t.send('/settings');
    await t.tap(rendered('settings.quiet', {}, 'vi'));
    await t.tap(rendered('settings.pick_quiet_off', {}, 'vi'));
    const off = rendered('settings.quiet_off', {}, 'vi');
    expect(t.last().text).toContain(phrase('settings.title', { quiet: off }, 'vi'));
    expect(off).toBe(rendered('settings.off', {}, 'vi'));
    await t.tap(rendered('settings.quiet', {}, 'vi'));
    expect(t.buttons().map((b) => b.text)).toContain(rendered('settings.pick_quiet_off', {}, 'vi'));
    expect(t.buttons().map((b) => b.text)).not.toContain(off);
  });
});
