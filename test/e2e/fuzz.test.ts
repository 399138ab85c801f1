import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORDER_STATES } from '../../src/domain/order-state.js';
import { parseLineInput } from '../../src/domain/line-identifier.js';
import type { Traveller } from '../fakes/telegram-api.js';
import { databaseKinds } from '../helpers/database.js';
import { forgedData, NON_TEXT, seeded, text, type Rng } from '../helpers/fuzz-inputs.js';
import { SHIPPED_CODE_LIMITS, startHarness, type Harness } from '../helpers/harness.js';

/** FUZZ_SEED=… reproduces a failing walk; FUZZ_STEPS=… makes it longer. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const STEPS = Number(process.env.FUZZ_STEPS ?? 200);
const OPERATOR = 515151;

const graphemes = (s: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].length;
const wellFormed = (s: string) =>
  // eslint-disable-next-line no-control-regex -- a NUL in the text is what this looks for
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/.test(s);

describe.each(databaseKinds)('fuzzing every step and button (%s)', (db) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ db, env: { ...SHIPPED_CODE_LIMITS, ADMIN_IDS: String(OPERATOR) } });
  });
  afterEach(async () => {
    await h.stop();
  });

  it(
    `answers ${STEPS} generated updates (seed ${SEED}) without an error, and keeps the data consistent`,
    { timeout: 120_000 },
    async () => {
      const rng = seeded(SEED + (db === 'postgresql' ? 1 : 0));
      oddTurn = 0;
      const actors: Traveller[] = [
        h.telegram.traveller(61001, { language_code: 'en' }),
        h.telegram.traveller(61002, { language_code: 'zh-hans' }),
        h.telegram.traveller(61003, { language_code: 'id' }),
        h.telegram.traveller(OPERATOR, { language_code: 'ru' }),
      ];
      // Each starts with a linked line, so that the walk reaches renewals, orders, auto-renew and unlinking.
      for (const [i, a] of actors.entries()) {
        await a.send('/start');
        await a.send('/link');
        await a.send(`0838 7777 10${i}${i}`);
        await a.send(h.simulator.lastCodeFor(`62838777710${i}${i}`)!);
        await (i % 2 ? a.tapData('lk:skip', a.last().message_id) : a.send(`Line ${i} <b>&`));
      }
      const errorsSoFar = () => h.logs.filter((l) => (JSON.parse(l) as { level: number }).level >= 50);
      const seen: string[] = [];

      let actor = actors[0]!;
      for (let step = 0; step < STEPS; step++) {
        // Mostly the same person again, so that journeys go deep; sometimes someone else cuts in.
        actor = step > 0 && rng.chance(0.75) ? actor : rng.pick(actors);
        const before = h.telegram.calls.length;
        const { kind, describe, run } = nextUpdate(rng, h, actor);
        seen.push(kind);
        const where = `seed ${SEED}, ${db}, step ${step}: ${describe}`;
        await run();
        const calls = h.telegram.calls.slice(before);
        expect(errorsSoFar(), where).toEqual([]);
        if (kind === 'tap')
          expect(
            calls.some((c) => c.method === 'answerCallbackQuery'),
            `${where}: the button's spinner never stopped`,
          ).toBe(true);
        if (kind === 'message') {
          expect(
            calls.some(
              (c) =>
                ['sendMessage', 'editMessageText', 'sendVenue'].includes(c.method) &&
                Number(c.payload.chat_id) === actor.chatId,
            ),
            `${where}: no answer`,
          ).toBe(true);
        }
        if (kind === 'group-add')
          expect(
            calls.some((c) => c.method === 'leaveChat'),
            `${where}: stayed in the group`,
          ).toBe(true);
        if (kind === 'elsewhere')
          expect(
            calls.filter((c) => c.method === 'sendMessage'),
            `${where}: answered outside the private chat`,
          ).toEqual([]);
      }
      expect(new Set(seen)).toEqual(new Set(['tap', 'message', 'group-add', 'elsewhere', 'membership']));

      // Whatever was typed, what the bot sent is valid and what it stored is consistent.
      for (const call of h.telegram.calls.filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText')) {
        expect(wellFormed(call.payload.text), call.payload.text).toBe(true);
        expect(call.payload.text.length).toBeLessThanOrEqual(4096);
        for (const button of (call.payload.reply_markup?.inline_keyboard ?? []).flat()) {
          if (button.callback_data)
            expect(new TextEncoder().encode(button.callback_data).length).toBeLessThanOrEqual(64);
        }
      }
      const lines = await h.database.db.line.findMany({ include: { user: true } });
      for (const line of lines) {
        expect(parseLineInput(line.identifier).ok, line.identifier).toBe(true);
        if (line.label !== null) {
          expect(wellFormed(line.label) && line.label.trim() === line.label && line.label.length > 0, line.label).toBe(
            true,
          );
          expect(graphemes(line.label)).toBeLessThanOrEqual(32);
        }
      }
      const perUser = new Map<string, number>();
      for (const line of lines.filter((l) => !l.unlinkedAt))
        perUser.set(line.userId, (perUser.get(line.userId) ?? 0) + 1);
      expect(Math.max(0, ...perUser.values())).toBeLessThanOrEqual(10);
      for (const order of await h.database.db.order.findMany({ include: { plan: true, line: true } })) {
        expect(ORDER_STATES).toContain(order.state);
        expect(order.amountMinor).toBeGreaterThan(0);
        expect([order.plan.currency, order.plan.altCurrency]).toContain(order.currency);
        expect(order.line.userId).toBe(order.userId);
      }
      for (const notice of await h.database.db.notice.findMany()) {
        for (const title of Object.values(notice.titles as Record<string, string>))
          expect(wellFormed(title) && graphemes(title) <= 120).toBe(true);
      }
      for (const session of await h.database.db.session.findMany())
        expect(() => JSON.parse(session.value)).not.toThrow();
      expect(await h.database.db.user.count({ where: { telegramId: { lt: 0 } } })).toBe(0);
    },
  );
});

type Step = {
  kind: 'tap' | 'message' | 'group-add' | 'elsewhere' | 'membership';
  describe: string;
  run: () => Promise<void>;
};

/** The next thing that happens: mostly what a person would do next, sometimes what only an attacker or Telegram would send. */
let oddTurn = 0;

function nextUpdate(rng: Rng, h: Harness, actor: Traveller): Step {
  const buttons = actor.buttons().filter((b) => b.callback_data);
  const roll = rng.next();
  if (roll < 0.32 && buttons.length) {
    const newest = buttons.filter((b) => b.message.message_id === buttons[0]!.message.message_id);
    const button = rng.pick(newest);
    return {
      kind: 'tap',
      describe: `taps "${button.text}" (${button.callback_data})`,
      run: () => actor.tapData(button.callback_data!, button.message.message_id),
    };
  }
  if (roll < 0.42 && buttons.length) {
    const button = rng.pick(buttons);
    return {
      kind: 'tap',
      describe: `taps an older "${button.text}" (${button.callback_data})`,
      run: () => actor.tapData(button.callback_data!, button.message.message_id),
    };
  }
  if (roll < 0.47) {
    // The heads of the longer journeys, so that the walk also goes through notices, auto-renew and settings.
    const lineId = buttons.map((b) => /^ln:renew:(.+)$/.exec(b.callback_data!)?.[1]).find(Boolean);
    const starts = [
      '/renew',
      '/numbers',
      '/settings',
      '/stores',
      '/language',
      ...(actor.user.id === OPERATOR ? ['/notice', '/notice', '/notice status'] : []),
      ...(lineId ? [`ar:setup:${lineId}`, `ar:open:${lineId}`] : []),
    ];
    const start = rng.pick(starts);
    return start.startsWith('/')
      ? { kind: 'message', describe: `starts ${start}`, run: () => actor.send(start) }
      : { kind: 'tap', describe: `starts ${start}`, run: () => actor.tapData(start) };
  }
  if (roll < 0.55) {
    const ids = buttons.map((b) => b.callback_data!.split(':').at(-1)!).filter((id) => id.length > 10);
    const data = forgedData(rng, ids);
    return { kind: 'tap', describe: `taps forged data ${JSON.stringify(data)}`, run: () => actor.tapData(data) };
  }
  if (roll < 0.84) {
    const lastCode = h.simulator.outbox.at(-1)?.code;
    const typed = text(rng, [...(lastCode ? [lastCode, lastCode, lastCode] : []), ...buttons.map((b) => b.text)]);
    return {
      kind: 'message',
      describe: `sends ${JSON.stringify(typed.length > 80 ? `${typed.slice(0, 80)}… (${typed.length})` : typed)}`,
      run: () => actor.send(typed),
    };
  }
  if (roll < 0.92) {
    const fields = rng.pick(NON_TEXT)(rng);
    return { kind: 'message', describe: `sends ${Object.keys(fields)[0]}`, run: () => actor.sendMessageOf(fields) };
  }
  const group = {
    id: -1_000_000 - rng.int(5),
    type: rng.pick(['group', 'supergroup'] as const),
    title: 'Trip <b>& co',
  };
  const deliver = (update: Record<string, unknown>) => h.telegram.deliver(update);
  const odd: Step[] = [
    { kind: 'group-add', describe: `adds the bot to ${group.type} ${group.id}`, run: () => actor.addBotTo(group) },
    {
      kind: 'membership',
      describe: `removes the bot from ${group.type} ${group.id}`,
      run: () => actor.addBotTo(group, rng.pick(['left', 'kicked'] as const)),
    },
    {
      kind: 'elsewhere',
      describe: `writes in ${group.type} ${group.id}`,
      run: () =>
        deliver({
          message: {
            message_id: 1,
            date: 0,
            chat: group,
            from: actor.user,
            text: rng.pick(['/start', '/renew@kuota_test_bot', text(rng)]),
          },
        }),
    },
    {
      kind: 'elsewhere',
      describe: 'a channel post',
      run: () =>
        deliver({
          channel_post: {
            message_id: 1,
            date: 0,
            chat: { id: -1_000_100, type: 'channel', title: 'News' },
            text: text(rng),
          },
        }),
    },
    {
      kind: 'elsewhere',
      describe: 'a message with no sender',
      run: () =>
        deliver({
          message: {
            message_id: 1,
            date: 0,
            chat: { id: actor.chatId, type: 'private', first_name: 'T' },
            text: text(rng),
          },
        }),
    },
    {
      kind: 'elsewhere',
      describe: 'an anonymous admin in a group',
      run: () => deliver({ message: { message_id: 1, date: 0, chat: group, sender_chat: group, text: '/start' } }),
    },
    {
      // Blocking, then writing again (which unblocks the bot in Telegram).
      kind: 'membership',
      describe: 'blocks and unblocks the bot',
      run: async () => {
        const member = (status: string) => ({
          my_chat_member: {
            chat: { id: actor.chatId, type: 'private', first_name: 'T' },
            from: actor.user,
            date: 0,
            old_chat_member: { status: 'member', user: h.telegram.botInfo },
            new_chat_member: { status, user: h.telegram.botInfo },
          },
        });
        await deliver(member('kicked'));
        await deliver(member('member'));
      },
    },
  ];
  // In turn rather than at random, so that every walk holds each kind of odd update.
  return odd[oddTurn++ % odd.length]!;
}
