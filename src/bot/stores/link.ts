import { Composer } from 'grammy';
import type { Logger } from '../../logger.js';
import { setStartCommandMenu } from '../command-menu.js';
import type { KuotaContext } from '../context.js';
import { storeIdFromStart } from '../deep-link.js';
import { mainMenu } from '../keyboards.js';
import { say } from '../reply.js';
import type { BotServices } from '../services.js';

/**
 * /start st_<store>: a partner store's QR code. The traveller is greeted in the store's name and gets
 * the menu; a renewal soon after counts for the store. A store no longer listed gets a polite word and the menu.
 */
export function storeLinkFeature(services: BotServices, logger: Logger) {
  const feature = new Composer<KuotaContext>();
  feature.command('start', async (ctx, next) => {
    const storeId = storeIdFromStart(ctx.match);
    if (!storeId) return next();
    const { t } = ctx.locale;
    const store = await services.storeVisits.open(ctx.user.id, storeId);
    await say(ctx, store ? t('store_link.welcome', { store: store.name }) : t('store_link.unknown'), mainMenu(t));
    await setStartCommandMenu(ctx.api, ctx.locale, ctx.chat.id, logger);
  });
  return feature;
}
