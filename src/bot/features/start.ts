import { Composer } from 'grammy';
import type { Logger } from '../../logger.js';
import { setStartCommandMenu } from '../command-menu.js';
import type { KuotaContext } from '../context.js';
import { CB, mainMenu } from '../keyboards.js';
import { replaceOrSay, say } from '../reply.js';

export function startFeature(logger: Logger) {
  const feature = new Composer<KuotaContext>();
  feature.command('start', async (ctx) => {
    await say(ctx, ctx.locale.t('menu.greeting', { name: ctx.from?.first_name ?? '' }), mainMenu(ctx.locale.t));
    await setStartCommandMenu(ctx.api, ctx.locale, ctx.chat.id, logger);
  });
  feature.command('menu', (ctx) => say(ctx, ctx.locale.t('menu.title'), mainMenu(ctx.locale.t)));
  feature.callbackQuery(CB.menu('home'), async (ctx) => {
    await ctx.answerCallbackQuery();
    await replaceOrSay(ctx, ctx.locale.t('menu.title'), mainMenu(ctx.locale.t));
  });
  return feature;
}
