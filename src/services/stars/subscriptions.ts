import type { ServiceDeps } from '../deps.js';

/** Telegram's Stars subscriptions renew every 30 days, so only a 30-day plan can be renewed by one. */
export const SUBSCRIPTION_PLAN_DAYS = 30;

/**
 * Stops a line's Stars subscription from renewing, then forgets it, so a new one can start afresh.
 * When Telegram cannot be reached the subscription is kept on record (false): switched off, a renewal
 * that still arrives is refunded and cancelled again; a plan change waits until it is cancelled.
 */
export async function cancelStarsSubscription(
  deps: Pick<ServiceDeps, 'db' | 'stars' | 'logger'>,
  autoRenewId: string,
): Promise<boolean> {
  const ar = await deps.db.autoRenew.findUnique({ where: { id: autoRenewId }, include: { user: true } });
  if (!ar?.starsChargeId && !ar?.starsPayload) return true;
  if (ar.starsChargeId && deps.stars) {
    try {
      await deps.stars.cancelSubscription(Number(ar.user.telegramId), ar.starsChargeId);
    } catch (err) {
      deps.logger.error({ err, autoRenewId }, 'Stars subscription could not be cancelled');
      return false;
    }
  }
  await deps.db.autoRenew.update({
    where: { id: ar.id },
    data: { starsChargeId: null, starsPayload: null, starsAmount: null },
  });
  return true;
}
