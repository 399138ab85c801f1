import { Composer } from 'grammy';
import type { KuotaContext } from '../context.js';
import { money } from '../format.js';
import { planName } from '../../domain/plan.js';
import type { Intent } from '../intents.js';
import { CB, mainMenu } from '../keyboards.js';
import { say } from '../reply.js';
import type { BotServices } from '../services.js';

export type IntentRoutes = Record<Exclude<Intent, 'price'>, (ctx: KuotaContext) => Promise<unknown>>;

/** Typed words instead of taps: "renew", "续费", "perpanjang", "how much"… go to the right place. */
export function freeTextFeature(services: BotServices, match: (text: string) => Intent | null, routes: IntentRoutes) {
  const feature = new Composer<KuotaContext>();
  feature.on('message:text', async (ctx, next) => {
    if (ctx.message.text.startsWith('/')) return next();
    const intent = match(ctx.message.text);
    if (!intent) return next();
    if (intent !== 'price') return routes[intent](ctx);
    const { t } = ctx.locale;
    const carriers = [...new Set((await services.lines.list(ctx.user.id)).map((l) => l.carrier))];
    const plans = (
      await Promise.all((carriers.length ? carriers : ['axis', 'esim']).map((c) => services.catalog.plansFor(c)))
    ).flat();
    const lines = plans.map(
      (p) =>
        `• ${planName(p, ctx.locale.language)} · ${money(ctx.locale, { amountMinor: p.priceMinor, currency: p.currency })}`,
    );
    await say(
      ctx,
      `${t('renew.prices')}\n\n${lines.join('\n')}`,
      mainMenu(t).row().text(t('menu.renew'), CB.menu('renew')),
    );
  });
  return feature;
}
