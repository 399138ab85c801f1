import type { Db, Tx } from '../../adapters/db/client.js';
import { SPENDING_STATES } from '../../domain/auto-renew.js';

/** What auto-renew took from a line in a month (card charges and Stars renewals alike), refunds left out. */
export async function autoRenewSpend(
  db: Db | Tx,
  lineId: string,
  month: string,
  /** The charge about to be made, which counts as spending while it is under way. */
  excludeChargeId?: string,
): Promise<{ amountMinor: number; renewals: number }> {
  const charges = await db.autoRenewCharge.findMany({
    where: {
      lineId,
      month,
      state: { in: SPENDING_STATES },
      order: { is: { state: { not: 'refunded' } } },
      ...(excludeChargeId ? { id: { not: excludeChargeId } } : {}),
    },
    select: { amountMinor: true },
  });
  return { amountMinor: charges.reduce((sum, c) => sum + c.amountMinor, 0), renewals: charges.length };
}
