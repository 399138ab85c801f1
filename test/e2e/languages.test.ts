import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { linkAnother, travellerWithLine } from '../helpers/journeys.js';
import { displayWidth } from '../../src/bot/text-width.js';
import { words } from '../helpers/copy.js';

describe('each language in the chat', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('sets the command menu in every language Telegram keys by code, and Traditional Chinese for the chat that picks it', async () => {
    const menu = (chatId: number, code?: string) =>
      h.telegram
        .commandsFor(chatId, code)
        ?.map((c) => `/${c.command} ${c.description}`)
        .join('\n');
    expect(menu(1, 'en')).toContain('/renew Renew a number');
    expect(menu(1, 'id')).toContain('/renew Perpanjang nomor');
    expect(menu(1, 'zh')).toContain('/renew 给号码续费');
    expect(menu(1, 'ru')).toContain('/renew Продлить номер');
    expect(menu(1, 'de')).toContain('/renew Renew a number');
    // Telegram takes two-letter codes only: zh-TW never went to setMyCommands as a language.
    const codes = h.telegram.calls
      .filter((c) => c.method === 'setMyCommands')
      .map((c) => c.payload.language_code ?? '');
    expect(codes.sort()).toEqual(['', 'en', 'id', 'ja', 'ko', 'ms', 'ru', 'th', 'vi', 'zh']);

    // A traveller whose Telegram is in Traditional Chinese has the zh-TW menu from /start on…
    const hant = h.telegram.traveller(8100, { language_code: 'zh-hant' });
    await hant.send('/start');
    expect(menu(8100, 'zh')).toContain('/renew 為門號儲值');
    // …and so does one who picks it; another Chinese speaker keeps the Simplified one.
    const t = h.telegram.traveller(8101, { language_code: 'zh-hans' });
    await t.send('/start');
    expect(menu(8101, 'zh')).toContain('/renew 给号码续费');
    await t.send('/language');
    await t.tap('繁體中文');
    expect(menu(8101, 'zh')).toContain('/renew 為門號儲值');
    expect(menu(8102, 'zh')).toContain('/renew 给号码续费');
  });

  it('keeps My numbers buttons short and the names in the text when there are several lines', async () => {
    const t = await travellerWithLine(h);
    await linkAnother(h, t, '0817 1234 5678', 'Mum and Dad travel eSIM');
    await t.send('/numbers');
    const text = t.last().text!;
    expect(text).toContain('1. •••• 5678');
    expect(text).toContain('2. Mum and Dad travel eSIM (•••• 5678)');
    const lastButtons = () =>
      t
        .last()
        .reply_markup!.inline_keyboard.flat()
        .map((b) => b.text);
    const labels = lastButtons();
    expect(labels).toContain('2. Mum and Dad t…');
    for (const label of labels) expect(displayWidth(label), label).toBeLessThanOrEqual(20);
    await t.tap('2. Mum');
    expect(t.last().text).toContain('Mum and Dad travel eSIM (•••• 5678) · XL');
    expect(lastButtons()).toEqual(['🔄 Renew', '🔁 Auto-renew', '✖️ Unlink', words('autorenew.back')]);
    await t.tap('Renew');
    expect(t.last().text).toContain(`${words('renew.pick_plan')} Mum and Dad travel eSIM`);
  });

  it('asks "keep auto-renew on?" when switching it off, not "keep the line linked?"', async () => {
    const t = await travellerWithLine(h, '0838 1234 5678', 'zh-hans');
    const lastButtons = () =>
      t
        .last()
        .reply_markup!.inline_keyboard.flat()
        .map((b) => b.text);
    const line = await h.database.db.line.findFirstOrThrow();
    await h.database.db.autoRenew.create({
      data: {
        lineId: line.id,
        userId: line.userId,
        planCode: 'axis-weekly-10gb',
        capMinor: 140000,
        currency: 'IDR',
        state: 'paused',
      },
    });
    await t.send('/numbers');
    await t.tap('自动续费');
    await t.tap('关闭');
    expect(t.last().text).toContain('要关闭');
    expect(lastButtons()).toEqual(['确定关闭', '保持开启']);
  });

  it('writes times as a Korean reader does', async () => {
    const t = await travellerWithLine(h, '0838 1234 5678', 'ko');
    await h.database.db.line.updateMany({ data: { expiresAt: new Date('2027-01-10T16:30:00Z') } });
    await t.send('/numbers');
    expect(t.last().text).toContain('오후 11:30');
    expect(t.last().text).not.toMatch(/\b(AM|PM)\b/);
    await t.send('/settings');
    expect(t.last().text).toMatch(/방해 금지 시간: 오후 10:00~오전 8:00/);
  });
});
