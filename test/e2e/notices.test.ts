import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { linkAnother, travellerWithLine } from '../helpers/journeys.js';
import { phrase, rendered, t as textIn, words } from '../helpers/copy.js';

const OPERATOR = 424242;

describe('policy-change notices', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ env: { ADMIN_IDS: String(OPERATOR) } });
  });
  afterEach(async () => {
    await h.stop();
  });

  it('an operator writes one in two languages for AXIS holders; each traveller reads it in theirs, once', async () => {
    const axisZh = await travellerWithLine(h, '0838 1111 2000', 'zh-hans');
    const axisId = await travellerWithLine(h, '0831 1111 2001', 'id');
    const xl = await travellerWithLine(h, '0817 1111 2002', 'en');
    const op = h.telegram.traveller(OPERATOR, { language_code: 'en' });

    await op.send('/notice');
    expect(op.messages().at(-2)!.text).toContain(words('console:notices.compose'));
    expect(op.last().text).toContain(rendered('admin.ask_title', { language: 'English' }));
    await op.send('AXIS prices change on 1 December');
    await op.send("Weekly 10 GB becomes IDR 40,000. <b>Renew before</b> to keep today's price.");
    await op.tap('+ 简体中文');
    await op.send('AXIS 12 月 1 日起调价');
    await op.send('周包 10GB 调整为 IDR 40,000，在此之前续费仍按原价。');
    await op.tap('Continue');
    await op.tap('AXIS');
    expect(op.last().text).toContain(
      rendered('admin.preview', { count: 2, languages: 'English and Simplified Chinese' }),
    );
    await op.tap('Publish');
    expect(op.last().text).toContain(phrase('admin.published', { count: 2 }));

    await axisZh.waitFor((t) => t.includes('AXIS 12 月 1 日起调价'));
    await axisId.waitFor((t) => t.includes('AXIS prices change on 1 December'));
    const english = axisId.messages().find((m) => m.text?.includes('AXIS prices change'))!;
    expect(english.text).toContain('<b>Renew before</b>'); // operator text arrives as written, not as markup
    await new Promise((r) => setTimeout(r, 300));
    expect(xl.messages().some((m) => m.text?.includes('AXIS prices'))).toBe(false);
    expect(axisZh.messages().filter((m) => m.text?.includes('调价'))).toHaveLength(1);

    await op.send('/notice status');
    expect(op.last().text).toContain('Sent: 2');
    expect(op.last().text).toContain(words('admin.done'));

    await axisId.tap('Semua pengumuman');
    await axisId.tap('AXIS prices change');
    expect(axisId.last().text).toContain('Weekly 10 GB becomes IDR 40,000');
  });

  it('a Thai-speaking operator is asked for the English title with the language named in Thai', async () => {
    const op = h.telegram.traveller(OPERATOR, { language_code: 'th' });
    await op.send('/notice');
    const ask = op.last().text;
    expect(ask).toContain(textIn('admin.ask_title', { language: 'อังกฤษ' }, 'th'));
    expect(ask).not.toMatch(/[A-Za-z]/);
  });

  it('is not open to travellers', async () => {
    const t = await travellerWithLine(h);
    await t.send('/notice');
    expect(t.last().text).toContain(words('common.unknown_text'));
    await t.send('/notices');
    expect(t.last().text).toContain(words('notices.empty'));
  });

  it('reaches plan holders only, skips those who switched notices off, and publishing twice queues nothing more', async () => {
    const weekly = await travellerWithLine(h, '0838 2222 3000');
    const monthly = await travellerWithLine(h, '0838 2222 3001');
    const quiet = await travellerWithLine(h, '0838 2222 3002');
    await linkAnother(h, quiet, '0817 2222 3003');
    const lines = await h.database.db.line.findMany({ orderBy: { createdAt: 'asc' } });
    await h.database.db.line.update({ where: { id: lines[0]!.id }, data: { planCode: 'axis-weekly-10gb' } });
    await h.database.db.line.update({ where: { id: lines[1]!.id }, data: { planCode: 'axis-monthly-30gb' } });
    await h.database.db.line.update({ where: { id: lines[2]!.id }, data: { planCode: 'axis-weekly-10gb' } });
    await quiet.send('/settings');
    await quiet.tap('Notices: on');

    const draft = {
      titles: { en: 'Weekly plan update' },
      bodies: { en: 'Details inside.' },
      audience: { type: 'plans' as const, codes: ['axis-weekly-10gb'] },
    };
    const first = await h.app.services.notices.publish(draft, OPERATOR, 'ntc-fixed');
    const second = await h.app.services.notices.publish(draft, OPERATOR, 'ntc-fixed');
    expect(first.recipients).toBe(1);
    expect(second.recipients).toBe(1);
    expect(await h.database.db.outboxMessage.count({ where: { kind: 'notice' } })).toBe(1);
    await weekly.waitFor((t) => t.includes('Weekly plan update'));
    expect(monthly.messages().some((m) => m.text?.includes('Weekly plan update'))).toBe(false);
  });

  it('refuses a notice without the default language', () => {
    expect(
      h.app.services.notices.check({ titles: { id: 'Judul' }, bodies: { id: 'Isi' }, audience: { type: 'all' } }),
    ).toEqual(['a title and body in the default language (en) are required']);
  });
});
