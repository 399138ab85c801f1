import { Bot, type Middleware } from 'grammy';
import type { Message, Update } from 'grammy/types';
import type { i18n } from 'i18next';
import type { KuotaContext } from '../../src/bot/context.js';
import { createI18n } from '../../src/bot/i18n.js';
import type { UserView } from '../../src/services/users.js';

/**
 * A bot feature run in-process, as grammY's own tests do: updates go to `bot.handleUpdate`, and every Bot API
 * call is recorded by a transformer and answered here. No port, no HTTP server, no app, no database.
 */
export type Call = { method: string; payload: Record<string, unknown> };

let shared: Promise<i18n> | undefined;
export const featureI18n = () => (shared ??= createI18n());

export async function featureBot(feature: Middleware<KuotaContext>, options: { language?: string } = {}) {
  const i18n = await featureI18n();
  const language = options.language ?? 'en';
  const chatId = 7001;
  const calls: Call[] = [];
  let messageId = 100;
  let updateId = 1;
  const bot = new Bot<KuotaContext>('1:in-process', {
    botInfo: {
      id: 1,
      is_bot: true,
      first_name: 'Kuota',
      username: 'kuota_bot',
      can_join_groups: false,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    },
  });
  bot.api.config.use((_prev, method, payload) => {
    calls.push({ method, payload: payload });
    const sent: Message.TextMessage = {
      message_id: ++messageId,
      date: 0,
      chat: { id: chatId, type: 'private', first_name: 'T' },
      text: String((payload as { text?: string }).text ?? ''),
    };
    return Promise.resolve({
      ok: true as const,
      result: (method.startsWith('send') || method.startsWith('edit') ? sent : true) as never,
    });
  });
  const user: UserView = {
    id: 'u1',
    telegramId: chatId,
    language,
    languageSet: true,
    timezone: 'Asia/Jakarta',
    quietStart: 22,
    quietEnd: 7,
    alertExpiry: true,
    alertNotices: true,
    alertLowData: true,
    reachable: true,
  };
  bot.use((ctx, next) => {
    ctx.user = user;
    ctx.locale = { t: i18n.getFixedT(language), language, timezone: user.timezone };
    return next();
  });
  bot.use(feature);

  const from = { id: chatId, is_bot: false, first_name: 'T', language_code: language };
  const chat = { id: chatId, type: 'private' as const, first_name: 'T' };
  const handle = (update: Omit<Update, 'update_id'>) => bot.handleUpdate({ update_id: updateId++, ...update });
  const sentTexts = () =>
    calls
      .filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText')
      .map((c) => String(c.payload.text));
  return {
    calls,
    t: i18n.getFixedT(language),
    send: (text: string) =>
      handle({
        message: {
          message_id: ++messageId,
          date: 0,
          chat,
          from,
          text,
          ...(text.startsWith('/')
            ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] }
            : {}),
        },
      }),
    tapData: (data: string) =>
      handle({
        callback_query: {
          id: String(updateId),
          from,
          chat_instance: 'c',
          data,
          message: { message_id: messageId, date: 0, chat, text: 'earlier', from: { ...from, id: 1, is_bot: true } },
        },
      }),
    /** The last text sent or edited in. */
    last: () => sentTexts().at(-1),
    /** The callback data of the button labelled so, in the last keyboard sent. */
    button(label: string) {
      const markup = calls.findLast((c) => c.payload.reply_markup)?.payload.reply_markup as
        { inline_keyboard: Array<Array<{ text: string; callback_data?: string }>> } | undefined;
      const found = markup?.inline_keyboard.flat().find((b) => b.text === label);
      if (!found?.callback_data) throw new Error(`no button "${label}"`);
      return found.callback_data;
    },
    answers: () => calls.filter((c) => c.method === 'answerCallbackQuery').map((c) => c.payload.text),
  };
}
