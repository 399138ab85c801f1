import cron from 'node-cron';
import type { Logger } from '../logger.js';

export type ScheduleDeps = {
  crons: {
    sweep: string;
    reminders: string;
    autoRenew: string;
    housekeeping: string;
    lowData: string;
    balance: string;
    consoleDays: string;
    reconcile: string;
    catalogSync: string;
  };
  fulfilment: { sweep(): Promise<unknown> };
  reminders: { tick(): Promise<{ queued: number }> };
  /** Publishes the notices scheduled for now or earlier (on the sweep's clock, every minute by default). */
  notices: { publishDue(): Promise<{ published: number }> };
  autoRenew: { tick(): Promise<{ due: number; retries: number }> };
  /** Deletes what outlived its retention: draft orders, abandoned conversations, code challenges. */
  housekeeping: { tick(): Promise<unknown> };
  /** Polls data usage where the provider does not push it, and queues low-data warnings. */
  usage: { tick(): Promise<{ checked: number }> };
  /** The provider's deposit, read when the provider reports one; alerts the operators below the threshold. */
  balance?: { check(): Promise<{ alerted: boolean } | null> };
  /** The eSIM partner's package list into the catalog, when a partner is configured. */
  catalogSync?: { tick(): Promise<unknown> };
  /** Stores the console overview's closed days ahead, for the timezones operators read it in. */
  overviewAhead: { prepare(): Promise<unknown> };
  /** Compares the ledger with what the processors say moved; settles, refunds or records what differs. */
  reconciliation: { run(): Promise<{ issues: number }> };
  logger: Logger;
  /** Something may have been queued: the outbox should look now. */
  onQueued(): void;
};

/** The wall-clock jobs: the fulfilment sweep, the expiry scan and auto-renew, each never overlapping itself. */
export function startSchedules(deps: ScheduleDeps) {
  const { logger, onQueued } = deps;
  const tasks = [
    cron.schedule(deps.crons.sweep, () => deps.fulfilment.sweep().then(onQueued), {
      name: 'fulfilment-sweep',
      noOverlap: true,
    }),
    cron.schedule(
      deps.crons.sweep,
      async () => {
        const result = await deps.notices
          .publishDue()
          .catch((err: unknown) => logger.error({ err }, 'scheduled notices not published'));
        if (result?.published) {
          logger.info(result, 'scheduled notices published');
          onQueued();
        }
      },
      { name: 'scheduled-notices', noOverlap: true },
    ),
    cron.schedule(
      deps.crons.reminders,
      async () => {
        const result = await deps.reminders.tick();
        if (result.queued) {
          logger.info(result, 'expiry reminders queued');
          onQueued();
        }
      },
      { name: 'expiry-scan', noOverlap: true },
    ),
    cron.schedule(
      deps.crons.autoRenew,
      async () => {
        const result = await deps.autoRenew.tick();
        if (result.due || result.retries) logger.info(result, 'auto-renew ran');
        onQueued();
      },
      { name: 'auto-renew', noOverlap: true },
    ),
    cron.schedule(
      deps.crons.housekeeping,
      async () => logger.info(await deps.housekeeping.tick(), 'housekeeping ran'),
      { name: 'housekeeping', noOverlap: true },
    ),
    cron.schedule(
      deps.crons.consoleDays,
      () =>
        deps.overviewAhead.prepare().catch((err) => logger.error({ err }, 'console overview days not stored ahead')),
      { name: 'console-days', noOverlap: true },
    ),
    cron.schedule(
      deps.crons.reconcile,
      async () => {
        const result = await deps.reconciliation.run().catch((err) => logger.error({ err }, 'reconciliation failed'));
        if (result?.issues) onQueued();
      },
      { name: 'reconciliation', noOverlap: true },
    ),
    cron.schedule(
      deps.crons.lowData,
      async () => {
        if ((await deps.usage.tick()).checked) onQueued();
      },
      { name: 'low-data', noOverlap: true },
    ),
  ];
  const sync = deps.catalogSync;
  if (sync)
    tasks.push(
      cron.schedule(
        deps.crons.catalogSync,
        () => sync.tick().then(onQueued, (err) => logger.error({ err }, 'catalog sync failed')),
        {
          name: 'catalog-sync',
          noOverlap: true,
        },
      ),
    );
  const balance = deps.balance;
  if (balance) {
    tasks.push(
      cron.schedule(
        deps.crons.balance,
        async () => {
          if ((await balance.check())?.alerted) onQueued();
        },
        { name: 'provider-balance', noOverlap: true },
      ),
    );
  }
  return {
    async stop(): Promise<void> {
      for (const task of tasks) await task.stop();
    },
  };
}
