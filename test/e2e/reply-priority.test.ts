import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { travellerWithLine } from '../helpers/journeys.js';
import { words } from '../helpers/copy.js';
import { until } from '../helpers/wait.js';

const HOUR = 3_600_000;
const ERROR_TEXT = words('common.error');

describe.each(databaseKinds)('replies during a wave on %s', (db) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ db });
  });
  afterEach(async () => {
    await h.stop();
  });

  /** A traveller with a reminder in the chat, its Renew now button ready to tap. */
  async function reminded() {
    const t = await travellerWithLine(h);
    const line = await h.database.db.line.findFirstOrThrow();
    await h.database.db.line.update({
      where: { id: line.id },
      data: { expiresAt: new Date(h.now().getTime() + 20 * HOUR), planCode: 'axis-weekly-10gb' },
    });
    await h.database.db.user.updateMany({ data: { quietStart: 0, quietEnd: 0 } });
    expect((await h.app.reminders.tick()).queued).toBe(1);
    await until(async () => {
      await h.app.outbox.runOnce();
      return t.messages().some((m) => m.text?.includes('⏰'));
    });
    return t;
  }

  it('a tap answered with 429s again and again ends in the order summary, never the error text, with one draft', async () => {
    const t = await reminded();
    // More refusals than the automatic retry would sit through inside the update.
    h.telegram.rateLimitNext(5, 1);
    await t.tap(words('reminder.renew_now'));
    await until(() => t.messages().some((m) => m.text?.includes(words('renew.summary'))));
    expect(t.messages().filter((m) => m.text?.includes(ERROR_TEXT))).toEqual([]);
    expect(await h.database.db.order.count()).toBe(1);
  });

  it('a reply refused with 429 does not keep the update: the tap is done before the summary can go', async () => {
    const t = await reminded();
    h.telegram.rateLimitNext(1, 2);
    // By webhook, the tap's delivery returns when Kuota has handled the update.
    await t.tap(words('reminder.renew_now'));
    expect(t.messages().some((m) => m.text?.includes(words('renew.summary')))).toBe(false);
    // Another traveller is answered meanwhile.
    const other = h.telegram.traveller(424242);
    await other.send('/help');
    expect(other.messages().length).toBeGreaterThan(0);
    await until(() => t.messages().some((m) => m.text?.includes(words('renew.summary'))));
  });
});
