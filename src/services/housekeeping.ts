import type { Db } from '../adapters/db/client.js';
import { ABANDONED_STATES } from '../domain/order-state.js';

/** How long unfinished things are kept, in days. */
export type Retention = {
  draftOrders: number;
  conversations: number;
  codeChallenges: number;
  /** Webhook event ids already processed: a retry older than this is not expected. */
  processedEvents?: number;
};

export const DEFAULT_RETENTION: Retention = {
  draftOrders: 7,
  conversations: 2,
  codeChallenges: 2,
  processedEvents: 30,
};

const DAY_MS = 24 * 3600 * 1000;
/** Opens of a store's link are read for a day (attribution) and 30 days (the console): twice that is kept. */
const STORE_VISIT_DAYS = 60;

/**
 * Deletes what was left unfinished and would otherwise pile up: orders never sent to payment,
 * conversations abandoned half-way, one-time codes long expired, spent rate-limit counters and old
 * opens of partner stores' links.
 * Idempotent: a tick may run twice or on two instances.
 */
export function createHousekeeping(deps: { db: Db; now: () => Date; retention?: Retention }) {
  const { db, now } = deps;
  const keep = deps.retention ?? DEFAULT_RETENTION;
  const before = (days: number) => new Date(now().getTime() - days * DAY_MS);

  return {
    async tick() {
      const [orders, conversations, challenges, limits, storeVisits, events, claimCodes] = await Promise.all([
        // Only orders that never reached Stripe; an auto-renew charge's order is kept with its charge.
        db.order.deleteMany({
          where: {
            state: { in: [...ABANDONED_STATES] },
            stripeSessionId: null,
            stripePaymentIntentId: null,
            autoRenewCharge: { is: null },
            updatedAt: { lt: before(keep.draftOrders) },
          },
        }),
        db.session.deleteMany({ where: { updatedAt: { lt: before(keep.conversations) } } }),
        db.otpChallenge.deleteMany({ where: { expiresAt: { lt: before(keep.codeChallenges) } } }),
        db.rateLimit.deleteMany({ where: { expire: { lt: now() } } }),
        db.storeVisit.deleteMany({ where: { at: { lt: before(STORE_VISIT_DAYS) } } }),
        db.processedEvent.deleteMany({ where: { createdAt: { lt: before(keep.processedEvents ?? 30) } } }),
        db.claimCode.deleteMany({ where: { expiresAt: { lt: before(keep.codeChallenges) } } }),
      ]);
      return {
        orders: orders.count,
        conversations: conversations.count,
        challenges: challenges.count,
        limits: limits.count,
        storeVisits: storeVisits.count,
        processedEvents: events.count,
        claimCodes: claimCodes.count,
      };
    },
  };
}
