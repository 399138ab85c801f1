import type { Db } from '../../adapters/db/client.js';
import type { ProviderGateway } from '../ports/provider-gateway.js';
import type { Logger } from '../../logger.js';
import { enqueue } from '../outbox.js';

export type BalanceReading = {
  amountMinor: number;
  currency: string;
  checkedAt: string;
  below: boolean;
  alerted: boolean;
};

/**
 * Reads the wholesale deposit and tells the operators (in the chat, through the outbox) when it
 * falls below the threshold: once per crossing, whichever instance reads it first.
 */
export function createProviderBalance(deps: {
  db: Db;
  provider: ProviderGateway;
  logger: Logger;
  now: () => Date;
  adminIds: number[];
  thresholdMinor: number | undefined;
}) {
  const { db, provider, now } = deps;

  return {
    supported: typeof provider.balance === 'function',

    /** The last reading, without asking the provider. */
    async last(): Promise<BalanceReading | null> {
      const row = await db.providerBalance.findUnique({ where: { provider: provider.name } });
      return row
        ? {
            amountMinor: row.balanceMinor,
            currency: row.currency,
            checkedAt: row.checkedAt.toISOString(),
            below: row.below,
            alerted: false,
          }
        : null;
    },

    /** Asks the provider; null when it has no balance to report or cannot be reached. */
    async check(): Promise<BalanceReading | null> {
      if (!provider.balance) return null;
      let balance;
      try {
        balance = await provider.balance();
      } catch (error) {
        deps.logger.warn({ err: error }, 'provider balance could not be read');
        return null;
      }
      const at = now();
      const below = deps.thresholdMinor !== undefined && balance.amountMinor < deps.thresholdMinor;
      const key = { provider: provider.name };
      await db.providerBalance.upsert({
        where: key,
        create: { ...key, balanceMinor: balance.amountMinor, currency: balance.currency, checkedAt: at, below: false },
        update: { balanceMinor: balance.amountMinor, currency: balance.currency, checkedAt: at },
      });
      // The flag flips once per crossing: only the reading that flips it down alerts.
      const flipped = await db.providerBalance.updateMany({ where: { ...key, below: !below }, data: { below } });
      const alerted = below && flipped.count === 1;
      if (alerted) {
        const operators = await db.user.findMany({
          where: { telegramId: { in: deps.adminIds.map(BigInt) } },
          select: { id: true },
        });
        for (const op of operators) {
          await enqueue(db, {
            userId: op.id,
            kind: 'operator_balance_low',
            payload: {
              amountMinor: balance.amountMinor,
              currency: balance.currency,
              thresholdMinor: deps.thresholdMinor!, // set: `below` needs it
              provider: provider.name,
            },
            dedupeKey: `balance_low:${provider.name}:${at.getTime()}:${op.id}`,
          });
        }
        deps.logger.warn(
          { balance, threshold: deps.thresholdMinor, operators: operators.length },
          'provider balance below the threshold; operators told',
        );
      }
      return { ...balance, checkedAt: at.toISOString(), below, alerted };
    },
  };
}

export type ProviderBalanceService = ReturnType<typeof createProviderBalance>;
