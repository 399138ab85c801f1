import { createHash } from 'node:crypto';
import type { Db, Tx } from '../../adapters/db/client.js';
import { INSUFFICIENT_CREDIT, type PartnerRefusal } from '../../adapters/provider/airalo.js';
import type { Logger } from '../../logger.js';
import { isUniqueViolation } from '../db-errors.js';
import { alertOperators } from './operators.js';

const CREDIT_KEY = 'airalo:credit';

/**
 * The partner's credit, as the operators need to hear of it: a top-up refused for insufficient
 * credit (code 11) opens an incident and tells them once, until a top-up goes through again; the
 * partner's credit-limit notification warns them before it runs out.
 */
export function createPartnerCredit(deps: { db: Db; logger: Logger; now: () => Date; adminIds: number[] }) {
  const { db, logger, now } = deps;

  /** True when this call opened the incident (another instance, or an open one, did not). */
  async function open(at: Date): Promise<boolean> {
    try {
      await db.partnerStatus.create({ data: { key: CREDIT_KEY, open: true, openedAt: at } });
      return true;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const { count } = await db.partnerStatus.updateMany({
      where: { key: CREDIT_KEY, open: false },
      data: { open: true, openedAt: at },
    });
    return count === 1;
  }

  return {
    /** A refused top-up: every refusal is logged with its code; insufficient credit tells the operators once. */
    async refused(refusal: PartnerRefusal): Promise<void> {
      // `partnerCode`, not `code`: the logger redacts fields named code (one-time codes).
      logger.warn(
        { partnerCode: refusal.code, reason: refusal.reason, status: refusal.status },
        'partner refused a top-up',
      );
      if (refusal.code !== INSUFFICIENT_CREDIT) return;
      const at = now();
      if (!(await open(at))) return;
      const told = await alertOperators(db, deps.adminIds, `credit-out:${at.getTime()}`, {
        key: 'operator.partner_credit_out',
        vars: { reason: refusal.reason.slice(0, 300) },
      });
      logger.error({ reason: refusal.reason, operators: told }, 'partner credit ran out; operators told');
    },

    /** A top-up went through: the incident, if one was open, is over. */
    async restored(): Promise<void> {
      await db.partnerStatus.updateMany({ where: { key: CREDIT_KEY, open: true }, data: { open: false } });
    },

    /** The partner's credit-limit notification, inside the transaction that records it. */
    async limitReached(tx: Tx, notice: { message: string; remaining: number }): Promise<void> {
      const words = createHash('sha256').update(notice.message).digest('hex').slice(0, 16);
      await alertOperators(tx, deps.adminIds, `credit-limit:${words}:${now().toISOString().slice(0, 10)}`, {
        key: 'operator.partner_credit_limit',
        vars: { message: notice.message },
        money: { amountMinor: Math.round(notice.remaining * 100), currency: 'USD' },
      });
    },

    /** Whether a credit incident is open, and since when. */
    async incident(): Promise<{ open: boolean; since: Date | null }> {
      const row = await db.partnerStatus.findUnique({ where: { key: CREDIT_KEY } });
      return { open: row?.open ?? false, since: row?.open ? row.openedAt : null };
    },
  };
}

export type PartnerCredit = ReturnType<typeof createPartnerCredit>;
