import { Composer } from 'grammy';
import type { KuotaContext } from '../context.js';
import { backToMenu, CB } from '../keyboards.js';
import { say } from '../reply.js';

export function helpFeature(supportContact: string) {
  const feature = new Composer<KuotaContext>();
  const show = (ctx: KuotaContext) => say(ctx, ctx.locale.t('help.text', { contact: supportContact }), backToMenu(ctx.locale.t));
  feature.command('help', show);
  feature.callbackQuery(CB.menu('help'), async (ctx) => {
    await ctx.answerCallbackQuery();
    await show(ctx);
  });
  return feature;
}
