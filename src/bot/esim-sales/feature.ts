import { Composer } from 'grammy';
import { matchDestination } from '../../domain/destinations.js';
import type { KuotaContext } from '../context.js';
import { CB } from '../keyboards.js';
import { onTap } from '../on-tap.js';
import type { BotServices } from '../services.js';

/** "esim japan", "日本 eSIM", "eSIM Jepang", "일본 이심", or just "esim": the words that ask for a new eSIM. */
const ESIM_WORDS = /e[\s-]?sim|이심|イーシム|eシム/iu;
const ONLY_ESIM = /^\s*(buy|beli|买|買|구매|ซื้อ|mua|купить)?\s*(an?\s+)?(e[\s-]?sim|이심|イーシム|eシム)\s*$/iu;

/**
 * The ways into buying a new eSIM: the menu's "Buy an eSIM", /esim, and typed words naming an eSIM
 * and a place; and "send the install details again" (never a second order).
 */
export function buyEsimFeature(services: BotServices, enter: (ctx: KuotaContext, query?: string) => Promise<void>) {
  const feature = new Composer<KuotaContext>();
  // An operator's /esim is the partner's status (esim-partner.ts); they buy from the menu like anyone.
  feature.command('esim', async (ctx, next) =>
    (await services.operator.operators.roleOf(ctx.from?.id ?? 0)) ? next() : enter(ctx, ctx.match.trim() || undefined),
  );
  feature.callbackQuery(CB.menu('esim'), async (ctx) => {
    await ctx.answerCallbackQuery();
    await enter(ctx);
  });
  feature.use(
    onTap('esimResend', async (ctx, orderId) => {
      const sent = await services.newEsims.install.resend(ctx.user.id, orderId);
      await ctx.answerCallbackQuery({ text: ctx.locale.t(sent ? 'esim.resending' : 'common.stale_button') });
    }),
  );
  feature.on('message:text', async (ctx, next) => {
    const text = ctx.message.text;
    if (text.startsWith('/') || !ESIM_WORDS.test(text) || text.length > 100) return next();
    if (ONLY_ESIM.test(text)) return enter(ctx);
    if (!matchDestination(text).ok) return next();
    return enter(ctx, text);
  });
  return feature;
}
