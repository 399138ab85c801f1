import { Composer } from 'grammy';
import type { i18n } from 'i18next';
import type { Logger } from '../../logger.js';
import type { KuotaContext } from '../context.js';
import type { BotServices } from '../services.js';
import { answerPreCheckout } from './pre-checkout.js';
import { settleSuccessfulPayment } from './successful-payment.js';

/**
 * Routes Telegram's payment updates. It stands before the traveller is loaded: a pre-checkout
 * query has no chat, and a payment must never wait behind a conversation.
 */
export function starsFeature(services: BotServices, i18n: i18n, logger: Logger) {
  const feature = new Composer<KuotaContext>();
  feature.on('pre_checkout_query', (ctx) => answerPreCheckout(ctx, services, i18n, logger));
  feature.on('message:successful_payment', (ctx) => settleSuccessfulPayment(ctx, services, i18n));
  return feature;
}
