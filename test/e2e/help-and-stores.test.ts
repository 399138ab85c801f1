import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { travellerWithLine } from '../helpers/journeys.js';
import { chatText, t as copy, words } from '../helpers/copy.js';

describe('help, stores and free text', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  // Help topics are tested in-process: test/bot/help-and-fallback.test.ts.
  it('finds the nearest stores from a shared location, with distance, hours and open-now, and sends one as a venue', async () => {
    const t = h.telegram.traveller(6002, { language_code: 'en' });
    await t.send('/stores');
    const ask = t.messages().at(-2)!;
    expect(ask.text).toContain(copy('stores.ask'));
    expect(JSON.stringify(ask.reply_markup)).toContain('request_location');
    await h.telegram.deliver({
      message: {
        message_id: 999,
        date: Math.floor(Date.now() / 1000),
        chat: { id: 6002, type: 'private', first_name: 'T' },
        from: t.user,
        location: { latitude: -8.72, longitude: 115.17 },
      },
    } as never);
    const list = t.last().text!;
    expect(list.indexOf('Kuota Partner Kuta')).toBeLessThan(list.indexOf('Ngurah Rai'));
    expect(list).toMatch(/Kuota Partner Kuta · 0\.\d km/);
    // Opening hours go through Intl, as an English reader writes a time of day.
    const hoursLine = (now: string) => copy('stores.item', { status: now, hours: '9:00 AM–10:00 PM' }).split('\n')[2]!;
    expect([words('stores.open'), words('stores.closed')].map(hoursLine)).toSatisfy((hours: string[]) =>
      hours.some((line) => list.includes(line)),
    );
    expect(list).not.toContain('Thamrin');
    await t.tap('📍 Kuota Partner Kuta');
    const venue = h.telegram.calls.find((c) => c.method === 'sendVenue')!;
    expect(venue.payload).toMatchObject({ latitude: -8.718, longitude: 115.169, title: 'Kuota Partner Kuta' });
    expect(t.last().text).toContain(copy('stores.bring'));
  });

  it("lists a city's stores for a traveller who would rather not share a location", async () => {
    const t = h.telegram.traveller(6003, { language_code: 'zh-hant' });
    await t.send('/stores');
    await t.tap('Yogyakarta');
    expect(t.last().text).toContain('Kuota Partner Malioboro');
    expect(t.last().text).toMatch(/營業中|休息中/);
  });

  it.each([
    ['en', 'I want to renew please', words('renew.no_lines')],
    ['zh-hans', '我想续费', '请先绑定号码'],
    ['id', 'mau perpanjang', 'Tautkan nomor dulu'],
    ['en', 'how much?', words('renew.prices')],
    ['ja', 'いくらですか', '現在の料金：'],
    ['en', 'help', words('help.menu')],
    ['ru', 'где купить сим', 'Отправьте свою геопозицию'],
    ['en', '🤷', "I didn't catch that"],
    ['en', 'can it auto renew?', words('lines.empty')],
    ['zh-hans', '怎么开自动续费', '你还没有绑定号码'],
    ['zh-hans', '怎么付款', chatText('zh-CN', 'help.topics.paying.text').split('；')[0]!],
    ['en', 'how do I pay?', words('help.topics.paying.text')],
    ['id', 'isi pulsa', 'Tautkan nomor dulu'],
    ['th', 'รหัสถูกไหม', 'ไม่เข้าใจข้อความนี้'],
  ])('routes typed words (%s) "%s" to the right place', async (language, text, expected) => {
    const t = h.telegram.traveller(7000 + Math.floor(Math.random() * 1000), { language_code: language });
    await t.send(text);
    expect(
      t
        .messages()
        .map((m) => m.text)
        .join('\n'),
    ).toContain(expected);
  });

  it('shows the prices of the traveller\'s own carrier when asked "how much"', async () => {
    const t = await travellerWithLine(h, '0817 1234 5678');
    await t.send('how much is it');
    expect(t.last().text).toContain('XL Weekly 8 GB · IDR 40,000');
    expect(t.last().text).not.toContain('AXIS');
  });
});
