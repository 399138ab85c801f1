/**
 * The Bot API for bench:wave, in a process of its own as Telegram is another machine: Telegram's
 * limits (30 messages a second free, 1,000 with allow_paid_broadcast, one a second per chat, 429 with
 * retry_after beyond them, BENCH_RTT_MS round trip), and the travellers. TAPPERS of every 100 tap
 * "Renew now" 0.5–3 s after their reminder arrives; the bystander (chat BYSTANDER) sends /help twice
 * a second. Prints its URL; GET /__wave answers what it saw.
 */
import type { Update } from 'grammy/types';
import { FakeTelegram } from '../test/fakes/telegram-api.js';

import { FIRST_TRAVELLER } from './wave-seed.js';
export const BYSTANDER = 4_999_999;
const TAPPERS = Number(process.env.TAPPERS ?? 10);

const fake = await FakeTelegram.start({
  perSecond: 30,
  paidPerSecond: 1000,
  perChatPerSecond: 1,
  lean: true,
  roundTripMs: Number(process.env.BENCH_RTT_MS ?? 20),
});

let nextUpdate = 1;
let nextCallback = 1;
const reminders = new Map<number, number>();
let firstReminderAt = 0;
let lastReminderAt = 0;
const refused = { reminder: 0, reply: 0, other: 0 };
/** Per tapping chat: when it tapped, when anything first answered, when its order summary came. */
const taps = new Map<number, { at: number; callbackId: string; answeredAt?: number; summaryAt?: number }>();
const byCallback = new Map<string, number>();
const help: Array<{ askedAt: number; answeredAt?: number }> = [];
let waitingHelp: (typeof help)[number] | undefined;
let errorTexts = 0;

const buttons = (payload: Record<string, any>): string[] =>
  (payload.reply_markup?.inline_keyboard ?? []).flat().map((b: { callback_data?: string }) => b.callback_data ?? '');

function push(update: Omit<Update, 'update_id'>): void {
  fake.enqueue([{ update_id: nextUpdate++, ...update }]);
}

function tap(chatId: number, messageId: number, data: string): void {
  const callbackId = String(nextCallback++);
  taps.set(chatId, { at: Date.now(), callbackId });
  byCallback.set(callbackId, chatId);
  const from = { id: chatId, is_bot: false, first_name: 'T', language_code: 'en' };
  push({
    callback_query: {
      id: callbackId,
      from,
      chat_instance: String(chatId),
      data,
      message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' } },
    },
  } as unknown as Omit<Update, 'update_id'>);
}

fake.observer = (method, payload, answer) => {
  const now = Date.now();
  const chatId = Number(payload.chat_id);
  if (method === 'answerCallbackQuery') {
    const chat = byCallback.get(String(payload.callback_query_id));
    const t = chat === undefined ? undefined : taps.get(chat);
    if (t && !t.answeredAt) t.answeredAt = now;
    return;
  }
  if (method !== 'sendMessage') return;
  const data = buttons(payload);
  const reminder = data.some((d) => d.startsWith('rn:'));
  if (!answer.ok) {
    if (answer.error_code === 429) refused[reminder ? 'reminder' : chatId === BYSTANDER ? 'other' : 'reply']++;
    return;
  }
  if (typeof payload.text === 'string' && payload.text.includes('went wrong')) errorTexts++;
  if (chatId === BYSTANDER) {
    if (waitingHelp && !waitingHelp.answeredAt) waitingHelp.answeredAt = now;
    return;
  }
  if (reminder) {
    const seen = (reminders.get(chatId) ?? 0) + 1;
    reminders.set(chatId, seen);
    firstReminderAt ||= now;
    lastReminderAt = now;
    const messageId = (answer as { result?: { message_id: number } }).result?.message_id ?? 1;
    if (seen === 1 && (chatId - FIRST_TRAVELLER) % 100 < TAPPERS) {
      const renew = data.find((d) => d.startsWith('rn:'))!;
      setTimeout(() => tap(chatId, messageId, renew), 500 + Math.random() * 2500);
    }
    return;
  }
  const t = taps.get(chatId);
  if (!t) return;
  t.answeredAt ??= now;
  if (data.some((d) => d.startsWith('o:pay:'))) t.summaryAt ??= now;
};

// The bystander asks for help, waiting for each answer (or 5 s) before asking again half a second later.
async function bystander(): Promise<void> {
  for (;;) {
    const asked = { askedAt: Date.now() } as (typeof help)[number];
    help.push(asked);
    waitingHelp = asked;
    push({
      message: {
        message_id: nextUpdate,
        date: Math.floor(Date.now() / 1000),
        chat: { id: BYSTANDER, type: 'private', first_name: 'B' },
        from: { id: BYSTANDER, is_bot: false, first_name: 'B', language_code: 'en' },
        text: '/help',
        entities: [{ type: 'bot_command', offset: 0, length: 5 }],
      },
    } as unknown as Omit<Update, 'update_id'>);
    const until = Date.now() + 5000;
    while (!asked.answeredAt && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 500));
  }
}

const server = await import('node:http');
const control = server.createServer((req, res) => {
  if (req.url === '/start-bystander') void bystander();
  res.setHeader('content-type', 'application/json');
  res.end(
    JSON.stringify({
      reminders: [...reminders.values()],
      firstReminderAt,
      lastReminderAt,
      refused,
      taps: [...taps.values()],
      help,
      errorTexts,
    }),
  );
});
await new Promise<void>((r) => control.listen(0, '127.0.0.1', r));
const address = control.address() as { port: number };
process.stdout.write(`${fake.url} http://127.0.0.1:${address.port}\n`);
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
