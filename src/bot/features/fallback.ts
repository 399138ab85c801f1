import { Composer } from 'grammy';
import type { KuotaContext } from '../context.js';
import { mainMenu } from '../keyboards.js';
import { say } from '../reply.js';

/** Whatever no feature took: never silence. */
export function fallbackFeature() {
  const feature = new Composer<KuotaContext>();
  feature.on('callback_query', async (ctx) => {
    await ctx.answerCallbackQuery({ text: ctx.locale.t('common.stale_button') });
    await say(ctx, ctx.locale.t('menu.title'), mainMenu(ctx.locale.t));
  });
  feature.command('cancel', (ctx) => say(ctx, ctx.locale.t('common.nothing_to_cancel'), mainMenu(ctx.locale.t)));
  feature.on('message', (ctx) => say(ctx, ctx.locale.t('common.unknown_text'), mainMenu(ctx.locale.t)));
  return feature;
}
