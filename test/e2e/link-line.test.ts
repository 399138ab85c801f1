import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withLuhnDigit } from '../../src/domain/iccid.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { words, rendered, literally, chatText } from '../helpers/copy.js';

describe('linking a line', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  async function startLink(language = 'en') {
    const t = h.telegram.traveller(2000 + Math.floor(Math.random() * 1000), { language_code: language });
    await t.send('/start');
    await t.tap(
      new RegExp(['en', 'id', 'zh-CN'].map((language) => literally(chatText(language, 'menu.link'))).join('|')),
    );
    return t;
  }

  it("explains each bad number in the traveller's words and asks again", async () => {
    const iccid = withLuhnDigit('896210000000000001');
    const mistyped = iccid.slice(0, -1) + String((Number(iccid.at(-1)) + 1) % 10);
    const cases: Array<[string, string]> = [
      ['hello 👋', words('link.invalid.not_a_number')],
      ['+1 415 555 2671', words('link.invalid.not_indonesian')],
      ['0838 12', words('link.invalid.wrong_length')],
      ['0800 1234 5678', words('link.invalid.unknown_prefix')],
      [mistyped, 'typo'],
      ['0838 1234 0000', words('link.unknown_line')],
    ];
    // Four mistakes at most per attempt, so each attempt still ends with a good number.
    for (const batch of [cases.slice(0, 3), cases.slice(3)]) {
      const t = await startLink();
      for (const [input, reason] of batch) {
        await t.send(input);
        expect(t.last().text, input).toContain(reason);
      }
      await t.send('0838-1234-5678');
      expect(t.last().text).toContain(words('link.code_sent'));
    }
  });

  it('gives up kindly after too many bad inputs', async () => {
    const t = await startLink();
    for (let i = 0; i < 5; i++) await t.send('not a number');
    expect(t.last().text).toContain(words('link.too_many_tries'));
    await t.send('0838 1234 5678');
    expect(t.last().text).toContain(words('common.unknown_text'));
  });

  it('accepts an eSIM ICCID and every common form of a number', async () => {
    const iccid = withLuhnDigit('896210000000000001');
    const t = await startLink();
    await t.send(`${iccid.slice(0, 4)} ${iccid.slice(4, 10)} ${iccid.slice(10)}`);
    expect(t.last().text).toContain(`code to •••• ${iccid.slice(-4)}`);
    await t.send(h.simulator.lastCodeFor(iccid)!);
    await t.tap('Skip');
    expect(t.last().text).toContain(rendered('link.linked', { line: `•••• ${iccid.slice(-4)}` }));
    const line = await h.database.db.line.findFirstOrThrow({ where: { identifier: iccid } });
    expect(line.carrier).toBe('esim');
    expect(line.kind).toBe('iccid');

    for (const form of ['62 831 9876 5432', '083198765433', '+62(831)98765434']) {
      const other = await startLink();
      await other.send(form);
      expect(other.last().text, form).toContain(words('link.code_sent'));
    }
  });

  it('counts wrong codes, then locks the line for 15 minutes', async () => {
    const t = await startLink();
    await t.send('0838 1234 5678');
    await t.send('12 34');
    expect(t.last().text).toContain(words('link.not_a_code'));
    const right = h.simulator.lastCodeFor('6283812345678')!;
    const wrong = right === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 1; left--) {
      await t.send(wrong);
      expect(t.last().text).toContain(`You have ${left} ${left === 1 ? 'try' : 'tries'} left`);
    }
    await t.send(wrong);
    expect(t.last().text).toContain(words('link.locked'));

    await t.tap(words('menu.link'));
    await t.send('0838 1234 5678');
    expect(t.last().text).toContain(words('link.locked'));
    expect(await h.database.db.line.count()).toBe(0);

    h.advance(16 * 60_000);
    await t.tap(words('menu.link'));
    await t.send('0838 1234 5678');
    expect(t.last().text).toContain(words('link.code_sent'));
    await t.send(h.simulator.lastCodeFor('6283812345678')!);
    expect(t.last().text).toContain(words('link.ask_label'));
  });

  it('refuses a code after 5 minutes', async () => {
    const t = await startLink();
    await t.send('0838 1234 5678');
    h.advance(5 * 60_000 + 1000);
    await t.send(h.simulator.lastCodeFor('6283812345678')!);
    expect(t.last().text).toContain(words('link.code_expired'));
    expect(await h.database.db.line.count()).toBe(0);
  });

  it('leaves with /cancel at each step, and nothing is linked', async () => {
    const atNumber = await startLink();
    await atNumber.send('/cancel');
    expect(atNumber.last().text).toContain('Cancelled');

    const atCode = await startLink();
    await atCode.send('0838 1234 5678');
    await atCode.send('/cancel');
    expect(atCode.last().text).toContain('Cancelled');
    await atCode.send(h.simulator.lastCodeFor('6283812345678')!);
    expect(atCode.last().text).toContain(words('common.unknown_text'));
    expect(await h.database.db.line.count()).toBe(0);

    const atLabel = await startLink();
    await atLabel.send('0838 1234 5679');
    await atLabel.send(h.simulator.lastCodeFor('6283812345679')!);
    await atLabel.send('/cancel');
    expect(atLabel.last().text).toContain('Cancelled');
    // The code was right: the line is linked, only its name was not given.
    expect(await h.database.db.line.count()).toBe(1);

    const nothing = h.telegram.traveller(4242);
    await nothing.send('/cancel');
    expect(nothing.last().text).toContain(words('common.nothing_to_cancel'));
  });

  it('nudges a traveller who sends a sticker or taps an old button mid-way', async () => {
    const t = await startLink();
    await t.sendSticker();
    expect(t.last().text).toContain(words('common.type_text'));
    await t.tapData('rp:axis-daily-2gb');
    const answer = h.telegram.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1)!;
    expect(answer.payload.text).toContain(words('common.type_text'));
    await t.send('0838 1234 5678');
    expect(t.last().text).toContain(words('link.code_sent'));
  });

  it('refuses a line the traveller already linked, and unlinks one', async () => {
    const t = await startLink();
    await t.send('0838 1234 5678');
    await t.send(h.simulator.lastCodeFor('6283812345678')!);
    await t.send('Me');
    await t.tap(words('menu.link'));
    await t.send('083812345678');
    expect(t.last().text).toContain(words('link.already_linked'));

    await t.send('/numbers');
    await t.tap('Unlink');
    expect(t.last().text).toContain('Unlink Me (•••• 5678)?');
    expect(t.last().text).toContain(words('lines.unlink_confirm', 1));
    const confirm = t.buttons().find((b) => b.text === words('lines.unlink_yes'))!.callback_data!;
    await t.tap(words('lines.unlink_yes'));
    expect(t.last().text).toContain(words('lines.unlinked', 1));
    await t.tapData(confirm);
    expect(h.telegram.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1)!.payload.text).toContain(
      words('lines.gone'),
    );
    await t.send('/numbers');
    expect(t.last().text).toContain(words('lines.empty'));
  });

  it('speaks Chinese to a zh-hans traveller and Indonesian after /language', async () => {
    const t = await startLink('zh-hans');
    expect(t.last().text).toContain('请发送要绑定的号码');
    await t.send('abc');
    expect(t.last().text).toContain('这看起来不像电话号码');
    await t.send('/language');
    await t.tap('Bahasa Indonesia');
    expect(t.last().text).toContain('Bahasa Indonesia');
    await t.send('/start');
    expect(t.last().text).toContain('Halo');
  });
});
