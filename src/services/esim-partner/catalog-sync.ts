import type { Db } from '../../adapters/db/client.js';
import type { Package } from '../ports/provider-gateway.js';
import type { MarginRule } from '../../domain/pricing.js';
import type { Logger } from '../../logger.js';
import { createCatalogImport } from '../catalog/import.js';
import type { CatalogService } from '../catalog/catalog.js';
import type { Leases } from '../leases.js';
import { alertOperators } from './operators.js';

export type CatalogSyncOptions = {
  provider: string;
  carrier: string;
  rule: MarginRule;
  /** New packages wait for the operator's approval (switched off) instead of going on sale. */
  holdNew: boolean;
  /** Failed runs in a row before the operators are told (once, until a run succeeds). */
  alertAfter: number;
  adminIds: number[];
};

export type SyncSummary = { added: number; held: number; hidden: number; repriced: number; unchanged: number };

const LEASE_MS = 15 * 60_000;

/**
 * The partner's package list, kept in the catalog (Airalo asks partners to sync at least hourly):
 * new packages priced by the margin rule or held for approval, packages that are gone hidden from
 * sale (never deleted: orders refer to them), changed costs flagged. Orders already confirmed keep
 * their frozen price. One instance runs it per tick, under a lease; each run logs a summary, and
 * `alertAfter` failures in a row tell the operators once.
 */
export function createCatalogSync(deps: {
  db: Db;
  logger: Logger;
  now: () => Date;
  leases: Leases;
  catalog: Pick<CatalogService, 'changed'>;
  listPackages: () => Promise<Package[]>;
  options: CatalogSyncOptions;
}) {
  const { db, logger, now, options } = deps;
  const statusKey = `${options.provider}:catalog-sync`;
  const importer = createCatalogImport({ db });

  async function failed(error: unknown): Promise<void> {
    const row = await db.partnerStatus.upsert({
      where: { key: statusKey },
      create: { key: statusKey, failures: 1 },
      update: { failures: { increment: 1 } },
    });
    logger.error({ err: error, failuresInARow: row.failures }, 'catalog sync failed');
    if (row.failures < options.alertAfter || row.open) return;
    const { count } = await db.partnerStatus.updateMany({
      where: { key: statusKey, open: false },
      data: { open: true, openedAt: now() },
    });
    if (count !== 1) return;
    await alertOperators(db, options.adminIds, `sync-failing:${now().getTime()}`, {
      key: 'operator.partner_sync_failing',
      vars: { failures: row.failures, error: String((error as Error)?.message ?? error).slice(0, 200) },
    });
  }

  const sync = {
    /** One run, whoever holds the lease; null when another instance ran it this tick. */
    async tick(): Promise<SyncSummary | null> {
      if (!(await deps.leases.acquire('catalog-sync', LEASE_MS))) return null;
      try {
        return await sync.run();
      } finally {
        await deps.leases.finished('catalog-sync', now());
      }
    },

    async run(): Promise<SyncSummary | null> {
      let result;
      try {
        const packages = await deps.listPackages();
        result = await importer.importPackages({
          provider: options.provider,
          carrier: options.carrier,
          packages,
          rule: options.rule,
          policy: { holdNew: options.holdNew, hideMissing: true, now },
        });
      } catch (error) {
        await failed(error);
        return null;
      }
      await db.partnerStatus.upsert({
        where: { key: statusKey },
        create: { key: statusKey },
        update: { failures: 0, open: false },
      });
      deps.catalog.changed();
      const count = (change: string) => result.plans.filter((p) => p.change === change).length;
      const summary: SyncSummary = {
        added: count('created'),
        held: count('held'),
        hidden: count('hidden'),
        repriced: count('repriced'),
        unchanged: count('updated'),
      };
      logger.info({ ...summary, skipped: result.skipped.length }, 'catalog sync');
      return summary;
    },
  };
  return sync;
}

export type CatalogSync = ReturnType<typeof createCatalogSync>;
