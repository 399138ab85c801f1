import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { travellerWithLine } from '../helpers/journeys.js';
import { words, phrase } from '../helpers/copy.js';

const OPERATOR = 434343;
const graphemes = (s: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].length;

describe.each(databaseKinds)('notice text typed by an operator (%s)', (db) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ db, env: { ADMIN_IDS: String(OPERATOR) } });
  });
  afterEach(async () => {
    await h.stop();
  });

  it('cuts a long title between characters, drops NUL from texts and plan codes, and still delivers', async () => {
    const t = await travellerWithLine(h, '0838 4444 5000');
    await h.database.db.line.updateMany({ data: { planCode: 'axis-weekly-10gb' } });
    const op = h.telegram.traveller(OPERATOR, { language_code: 'en' });
    await op.send('/notice');
    const title = `${'T'.repeat(119)}👨‍👩‍👧‍👦 and more\u0000`;
    await op.send(title);
    await op.send('Body with a NUL\u0000 inside');
    await op.tap('Continue');
    await op.tap(words('admin.audience_plans'));
    await op.send('axis-weekly-10gb\u0000, axis-monthly-30gb');
    expect(op.last().text).toContain(phrase('admin.preview', { count: 1 }));
    await op.tap('Publish');
    expect(op.last().text).toContain(phrase('admin.published', { count: 1 }));

    const notice = await h.database.db.notice.findFirstOrThrow();
    const stored = (notice.titles as Record<string, string>).en!;
    expect(stored).toBe(`${'T'.repeat(119)}👨‍👩‍👧‍👦`);
    expect(graphemes(stored)).toBe(120);
    expect((notice.bodies as Record<string, string>).en).toBe('Body with a NUL inside');
    expect(notice.audience).toEqual({ type: 'plans', codes: ['axis-weekly-10gb', 'axis-monthly-30gb'] });
    await t.waitFor((text) => text.includes('Body with a NUL inside'));
  });

  it('says nothing was published, not charged, when the operator cancels at the preview', async () => {
    const op = h.telegram.traveller(OPERATOR, { language_code: 'en' });
    await op.send('/notice');
    await op.send('Title');
    await op.send('Body');
    await op.tap('Continue');
    await op.tap('Everyone');
    await op.tap('Cancel');
    expect(op.last().text).toContain(words('admin.cancelled'));
    expect(op.last().text).not.toContain(words('common.cancelled'));
    expect(await h.database.db.notice.count()).toBe(0);
  });

  const errors = () => h.logs.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 50);

  it("echoes 4,096 emoji typed as plan codes within Telegram's length, cut between characters", async () => {
    const op = h.telegram.traveller(OPERATOR, { language_code: 'en' });
    await op.send('/notice');
    await op.send('Plans');
    await op.send('Body');
    await op.tap('Continue');
    await op.tap(words('admin.audience_plans'));
    await op.send('😀'.repeat(4096));
    const preview = op.last().text ?? '';
    expect(preview).toContain(phrase('admin.preview', { count: 0 }));
    expect(preview.length).toBeLessThanOrEqual(4096);
    expect(preview).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(h.telegram.calls.filter((c) => JSON.stringify(c.payload).length > 40_000)).toEqual([]);
    expect(errors()).toEqual([]);
  });

  it('stores a title of "x" and 70 emoji whole, never ending inside a character', async () => {
    const op = h.telegram.traveller(OPERATOR, { language_code: 'en' });
    await op.send('/notice');
    await op.send(`x${'😀'.repeat(70)}`);
    await op.send('Body');
    await op.tap('Continue');
    await op.tap('Everyone');
    await op.tap('Publish');
    const notice = await h.database.db.notice.findFirstOrThrow();
    const title = (notice.titles as Record<string, string>).en!;
    expect(title).toBe(`x${'😀'.repeat(70)}`);
    expect(errors()).toEqual([]);
  });

  it('echoes an order number it cannot find cut between characters, never inside an emoji', async () => {
    const op = h.telegram.traveller(OPERATOR, { language_code: 'en' });
    await op.send(`/order x${'😀'.repeat(4096)}`);
    const answer = op.last().text ?? '';
    expect(answer).toContain(`x${'😀'.repeat(39)}`);
    expect(answer).not.toContain('😀'.repeat(40));
    expect(answer).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(errors()).toEqual([]);
  });
});
