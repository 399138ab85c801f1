import type { Context, InlineKeyboard } from 'grammy';
import type { Message } from 'grammy/types';
import { SEND_LATER } from './paced-replies.js';

/**
 * Every message Kuota writes is HTML with escaped values (see i18n.ts). Held back by a rate limit,
 * it is sent as soon as it may go, and the update does not wait for it (nobody reads what it returns).
 */
export async function say(ctx: Context, text: string, keyboard?: InlineKeyboard): Promise<Message | undefined> {
  const sent: Message | true = await ctx.reply(text, {
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    ...(keyboard ? { reply_markup: keyboard } : {}),
    ...{ [SEND_LATER]: true },
  });
  // `true` when it was held back to be sent later: there is no message yet to point to.
  return typeof sent === 'object' ? sent : undefined;
}

/** Edits the message a button sits on; falls back to a new message when it can't be edited. */
export async function replaceOrSay(ctx: Context, text: string, keyboard?: InlineKeyboard) {
  if (ctx.callbackQuery?.message) {
    try {
      return await ctx.editMessageText(text, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(keyboard ? { reply_markup: keyboard } : {}),
      });
    } catch {
      // Too old, identical or deleted: a new message is just as clear.
    }
  }
  return say(ctx, text, keyboard);
}
