import type { NextFunction } from 'grammy';
import { cleanText } from '../../domain/text.js';
import type { KuotaContext } from '../context.js';

/**
 * Cleans what a person typed or a button carried before any feature sees it, so nothing stored
 * from chat holds a NUL (PostgreSQL refuses it) or a broken character (Telegram refuses to send it back).
 * Button data that is empty once cleaned matches no feature and gets the stale-button answer.
 */
export async function cleanInput(ctx: KuotaContext, next: NextFunction) {
  const message = ctx.update.message ?? ctx.update.edited_message;
  if (message?.text !== undefined) message.text = cleanText(message.text);
  if (message?.caption !== undefined) message.caption = cleanText(message.caption);
  if (ctx.update.callback_query?.data !== undefined)
    ctx.update.callback_query.data = cleanText(ctx.update.callback_query.data);
  return next();
}
