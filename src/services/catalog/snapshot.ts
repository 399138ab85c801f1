import type { Db } from '../../adapters/db/client.js';
import type { PlanView } from '../../domain/plan.js';

export type CatalogPlan = PlanView & { id: string; active: boolean };

type PlanRow = {
  code: string;
  carrier: string;
  kind: string;
  dataMb: number | null;
  validityDays: number;
  priceMinor: number;
  currency: string;
  altPriceMinor: number | null;
  altCurrency: string | null;
  names: unknown;
};

/** A plan as travellers see it, from its row. */
export function planViewOf(row: PlanRow): PlanView {
  return {
    code: row.code,
    carrier: row.carrier,
    kind: row.kind as PlanView['kind'],
    dataMb: row.dataMb,
    validityDays: row.validityDays,
    priceMinor: row.priceMinor,
    currency: row.currency,
    altPriceMinor: row.altPriceMinor,
    altCurrency: row.altCurrency,
    names: row.names as Record<string, string>,
  };
}

type Snapshot = {
  byCarrier: Map<string, CatalogPlan[]>;
  byCode: Map<string, CatalogPlan>;
  byId: Map<string, CatalogPlan>;
};

export type CatalogSnapshotOptions = {
  /** How often a reader asks the database whether another process changed the catalog. */
  checkEveryMs: number;
  /** A snapshot older than this is read again even if nothing seems changed (a change the stamp could miss). */
  maxAgeMs: number;
  now: () => number;
};

const within = (elapsed: number, limit: number) => elapsed >= 0 && elapsed < limit;

const DEFAULTS: CatalogSnapshotOptions = { checkEveryMs: 1_000, maxAgeMs: 60_000, now: () => performance.now() };

/**
 * The catalog as travellers see it, kept in memory: every menu and price question would otherwise
 * read the same few plans again. `npm run catalog:load` and `catalog:import` change it from another
 * process and other instances share the database, so at most once a second a reader compares a
 * stamp (plan count and latest `updatedAt`, which Prisma sets on every write) and reads it all again
 * when it moved; this process's own writes call `forget()`. What a traveller pays is never taken
 * from here: the order reads its plan afresh and freezes that price (orders.draft).
 */
export function catalogSnapshot(db: Db, options: Partial<CatalogSnapshotOptions> = {}) {
  const { checkEveryMs, maxAgeMs, now } = { ...DEFAULTS, ...options };
  let current: { snapshot: Snapshot; stamp: string; readAt: number; checkedAt: number } | undefined;
  let reading: Promise<Snapshot> | undefined;
  // Bumped by forget(): a read that began before a change must not be kept as current after it.
  let generation = 0;

  const stampNow = async () => {
    const { _count, _max } = await db.plan.aggregate({ _count: { _all: true }, _max: { updatedAt: true } });
    return `${_count._all}:${_max.updatedAt?.getTime() ?? 0}`;
  };

  async function read(knownStamp?: string): Promise<Snapshot> {
    const began = generation;
    const stamp = knownStamp ?? (await stampNow());
    const rows = await db.plan.findMany({ orderBy: [{ sortOrder: 'asc' }, { code: 'asc' }] });
    const snapshot: Snapshot = { byCarrier: new Map(), byCode: new Map(), byId: new Map() };
    for (const row of rows) {
      // Frozen: every caller shares these objects.
      const plan: CatalogPlan = Object.freeze({
        ...planViewOf(row),
        id: row.id,
        active: row.active,
        names: Object.freeze(row.names as Record<string, string>),
      });
      snapshot.byCode.set(plan.code, plan);
      snapshot.byId.set(plan.id, plan);
      if (plan.active) snapshot.byCarrier.set(plan.carrier, [...(snapshot.byCarrier.get(plan.carrier) ?? []), plan]);
    }
    for (const plans of snapshot.byCarrier.values()) Object.freeze(plans);
    const at = now();
    if (began === generation) current = { snapshot, stamp, readAt: at, checkedAt: at };
    return snapshot;
  }

  async function fresh(): Promise<Snapshot> {
    const at = now();
    // A clock that stepped back counts as time passed: the snapshot is checked, not trusted until the clock catches up.
    if (current && within(at - current.checkedAt, checkEveryMs) && within(at - current.readAt, maxAgeMs))
      return current.snapshot;
    // Concurrent readers share one check (a burst of taps must not all ask at once).
    if (reading) return reading;
    const pending = (async () => {
      const known = current;
      if (!known || !within(at - known.readAt, maxAgeMs)) return read();
      const stamp = await stampNow();
      if (stamp !== known.stamp || current !== known) return read(stamp);
      known.checkedAt = now();
      return known.snapshot;
    })();
    reading = pending;
    const done = () => {
      if (reading === pending) reading = undefined;
    };
    pending.then(done, done);
    return pending;
  }

  return {
    /** The active plans of a carrier, in the catalog's order. */
    async forCarrier(carrier: string): Promise<CatalogPlan[]> {
      return (await fresh()).byCarrier.get(carrier) ?? [];
    },
    /** A plan by its code, switched off or not (a line's last plan may be). */
    async byCode(code: string): Promise<CatalogPlan | undefined> {
      return (await fresh()).byCode.get(code);
    },
    async byId(id: string): Promise<CatalogPlan | undefined> {
      return (await fresh()).byId.get(id);
    },
    /** This process changed the catalog: the next reader reads it again. */
    forget(): void {
      generation++;
      current = undefined;
      reading = undefined;
    },
  };
}

export type CatalogSnapshot = ReturnType<typeof catalogSnapshot>;
