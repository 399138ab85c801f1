import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Update } from 'grammy/types';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { LINK, linkAnother, linkWithCode } from '../helpers/journeys.js';
import { rendered } from '../helpers/copy.js';

/** What the review found when it sent odd updates: each now gets an answer or a deliberate silence, never an error. */
describe.each(databaseKinds)('odd input in chat (%s)', (db) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ db });
  });
  afterEach(async () => {
    await h.stop();
  });

  const errors = () => h.logs.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 50);
  let nextId = 8000;
  async function traveller(language = 'en') {
    const t = h.telegram.traveller(nextId++, { language_code: language });
    await t.send('/start');
    return t;
  }

  it('keeps no wrong input in the link conversation: its stored state stays the same size, and the step goes on', async () => {
    const t = await traveller();
    await t.tap(LINK);
    const stored = async () =>
      (await h.database.db.session.findMany()).reduce((size, row) => size + row.value.length, 0);
    const sizes: number[] = [];
    for (const letter of 'abcd') {
      const before = t.messages().length;
      await t.send(letter.repeat(4000));
      await t.waitFor(() => t.messages().length > before);
      sizes.push(await stored());
    }
    // Each wrong input was 4,000 characters: a state that kept them would grow by that much each time.
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(500);
    await linkWithCode(t, '0838 1234 5678', () => h.simulator.lastCodeFor('6283812345678')!);
    expect(t.last().text).toContain(rendered('link.linked', { line: '•••• 5678' }));
    expect(errors()).toEqual([]);
  });

  it('echoes the label it stored when a 4,096-character label is sent', async () => {
    const t = await traveller();
    await linkAnother(h, t, '0838 1234 5678', 'L'.repeat(4096));
    expect(t.last().text).toBe(rendered('link.linked', { line: `${'L'.repeat(32)} (•••• 5678)` }));
    expect((await h.database.db.line.findFirstOrThrow()).label).toBe('L'.repeat(32));
    expect(errors()).toEqual([]);
  });

  it('cuts a label between characters, never inside an emoji', async () => {
    const t = await traveller();
    const label = `${'a'.repeat(31)}👍🏽 and more`;
    await linkAnother(h, t, '0838 1234 5678', label);
    const stored = (await h.database.db.line.findFirstOrThrow()).label!;
    expect(stored).toBe(`${'a'.repeat(31)}👍🏽`);
    expect(t.last().text).toContain(rendered('link.linked', { line: `${stored} (•••• 5678)` }));
  });

  it('stores a label with NUL and control characters cleaned, and answers', async () => {
    const t = await traveller();
    await linkAnother(h, t, '0838 1234 5678', 'Mom\u0000\u0007 phone\uD800');
    expect((await h.database.db.line.findFirstOrThrow()).label).toBe('Mom phone');
    expect(t.last().text).toContain(rendered('link.linked', { line: 'Mom phone (•••• 5678)' }));
    expect(errors()).toEqual([]);
  });

  it('refuses forged button data politely: NUL in a line id or a city', async () => {
    const t = await traveller();
    await linkAnother(h, t, '0838 1234 5678');
    for (const data of ['ln:renew:\u0000', 'sc:\u0000', 'so:\u0000x', 'rn:\u0000']) {
      const before = t.messages().length;
      await t.tapData(data);
      const answer = h.telegram.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1)!;
      expect([rendered('common.stale_button'), rendered('lines.gone')], data).toContain(answer.payload.text);
      expect(t.messages().length, data).toBeGreaterThanOrEqual(before);
    }
    expect(errors()).toEqual([]);
  });

  it('shows a line named "Mom & Dad <3" as typed on its buttons, and escaped in the message', async () => {
    const t = await traveller();
    await linkAnother(h, t, '0838 1234 5678', 'Mom & Dad <3');
    await linkAnother(h, t, '0838 1234 5679', 'Work');
    await t.send('/numbers');
    // With several lines, each line's button names it (the message gives the rest).
    const labels = t.buttons().map((b) => b.text);
    expect(labels.some((l) => /^\d\. Mom & Dad <3$/.test(l))).toBe(true);
    expect(t.last().text).toContain('Mom & Dad <3');
    const sent = h.telegram.calls.filter((c) => c.method === 'sendMessage').at(-1)!;
    expect(sent.payload.text).toContain('Mom &amp; Dad &lt;3');
  });

  it('leaves alone updates with no sender (channel posts, anonymous messages) without an error', async () => {
    const chat = { id: -100123, type: 'channel', title: 'News' };
    await h.telegram.deliver({ channel_post: { message_id: 1, date: 0, chat, text: 'hello' } } as unknown as Omit<
      Update,
      'update_id'
    >);
    await h.telegram.deliver({
      message: { message_id: 2, date: 0, chat: { id: 9100, type: 'private', first_name: 'X' }, text: '/start' },
    } as unknown as Omit<Update, 'update_id'>);
    await h.telegram.deliver({
      message: {
        message_id: 3,
        date: 0,
        chat: { id: -200, type: 'supergroup', title: 'G' },
        sender_chat: { id: -200, type: 'supergroup', title: 'G' },
        text: 'hi',
      },
    } as unknown as Omit<Update, 'update_id'>);
    expect(errors()).toEqual([]);
    expect(h.telegram.calls.filter((c) => c.method === 'sendMessage')).toEqual([]);
  });

  it('keeps a traveller reachable when they remove the bot from a group, and not when they block it', async () => {
    const t = await traveller();
    const group = { id: -300, type: 'group' as const, title: 'Family' };
    await t.addBotTo(group, 'left');
    await t.addBotTo(group, 'kicked');
    const user = () => h.database.db.user.findFirstOrThrow({ where: { telegramId: BigInt(t.user.id) } });
    expect((await user()).reachable).toBe(true);
    await t.block();
    expect((await user()).reachable).toBe(false);
  });

  it("says in a group that it works in private chat (in the adder's language), and leaves", async () => {
    const t = await traveller('id');
    const group = { id: -400, type: 'supergroup' as const, title: 'Trip' };
    await t.addBotTo(group);
    const said = h.telegram.messagesTo(group.id).at(-1)!;
    expect(said.text).toContain('hanya bisa dipakai lewat chat pribadi');
    expect(said.text).toContain(`@${h.telegram.botInfo.username}`);
    expect(h.telegram.calls.filter((c) => c.method === 'leaveChat').map((c) => c.payload.chat_id)).toEqual([group.id]);
    // A message that still reaches the bot from that group gets no answer.
    await h.telegram.deliver({
      message: { message_id: 5, date: 0, chat: group, from: t.user, text: '/start' },
    });
    expect(h.telegram.messagesTo(group.id).length).toBe(1);
    expect(errors()).toEqual([]);
  });
});
