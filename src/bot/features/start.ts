import { Composer } from 'grammy';
import type { KuotaContext } from '../context.js';
import { CB, mainMenu } from '../keyboards.js';
import { replaceOrSay, say } from '../reply.js';

export function startFeature() {
  const feature = new Composer<KuotaContext>();
  feature.command('start', (ctx) => say(ctx, ctx.locale.t('menu.greeting', { name: ctx.from?.first_name ?? '' }), mainMenu(ctx.locale.t)));
  feature.command('menu', (ctx) => say(ctx, ctx.locale.t('menu.title'), mainMenu(ctx.locale.t)));
  feature.callbackQuery(CB.menu('home'), async (ctx) => {
    await ctx.answerCallbackQuery();
    await replaceOrSay(ctx, ctx.locale.t('menu.title'), mainMenu(ctx.locale.t));
  });
  return feature;
}
