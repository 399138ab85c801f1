import type { i18n } from 'i18next';
import type { NextFunction } from 'grammy';
import type { KuotaContext } from '../context.js';
import type { BotServices } from '../services.js';

/** Loads the traveller and gives the update its own fixed-language `t`. */
export function loadTraveller(services: BotServices, i18n: i18n) {
  return async (ctx: KuotaContext, next: NextFunction) => {
    // Kuota only talks to people in private chats: anything else (no sender, a group, a channel, a bot) is left alone.
    if (!ctx.from || ctx.from.is_bot || ctx.chat?.type !== 'private') return;
    const { first_name, last_name, username } = ctx.from;
    ctx.user = await services.users.ensure(ctx.from.id, ctx.from.language_code, {
      name: [first_name, last_name].filter(Boolean).join(' '),
      username,
    });
    ctx.locale = { t: i18n.getFixedT(ctx.user.language), language: ctx.user.language, timezone: ctx.user.timezone };
    return next();
  };
}
