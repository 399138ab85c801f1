import type { Context, InlineKeyboard } from 'grammy';

/** Every message Kuota writes is HTML with escaped values (see i18n.ts). */
export function say(ctx: Context, text: string, keyboard?: InlineKeyboard) {
  return ctx.reply(text, {
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    ...(keyboard ? { reply_markup: keyboard } : {}),
  });
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
