import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Db } from '../../adapters/db/client.js';
import { CARRIERS } from '../../domain/msisdn.js';
import { sameJson } from '../../domain/same-json.js';
import { PLAN_KINDS, type PlanView } from '../../domain/plan.js';
import { catalogSnapshot, type CatalogSnapshotOptions } from './snapshot.js';

const price = z.object({
  amount: z.number().int('must be a whole number of the smallest unit (rupiah for IDR, cents for USD)').positive(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO code such as IDR or USD'),
});

const planEntry = z.object({
  code: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'must be lowercase letters, digits and dashes'),
  carrier: z.enum(CARRIERS),
  kind: z.enum(PLAN_KINDS),
  dataMb: z.number().int().positive().nullable(),
  validityDays: z.number().int().min(1).max(365),
  price,
  altPrice: price.optional(),
  /** Prices in further currencies, one each: a method that settles in one of them (Kakao Pay in KRW, PayPal in USD) charges it. */
  prices: z.array(price).max(20).optional(),
  /** The price in Telegram Stars; without it, the operator's STARS_RATES derive one from `price`. */
  starsPrice: z.number().int('must be a whole number of Stars').positive().max(100_000).optional(),
  providerSku: z.string().min(1),
  /** The wholesale cost, kept beside the price; a plan priced below it is refused. */
  cost: price.optional(),
  /** The provider that tops this plan up, when not the one for the line's kind. */
  provider: z.enum(['simulator', 'digiflazz', 'airalo']).optional(),
  names: z
    .record(z.string(), z.string().min(1).max(60))
    .refine((n) => typeof n.en === 'string', 'must have at least an "en" name'),
  graceDays: z.number().int().min(0).max(365).optional(),
  active: z.boolean().default(true),
});

const catalogFile = z.object({ plans: z.array(planEntry).min(1, 'must list at least one plan') });

export class CatalogError extends Error {
  constructor(readonly problems: string[]) {
    super(`The catalog has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export type CatalogEntry = z.infer<typeof planEntry>;

/** Validates a catalog file's content; each problem names the plan it is in. */
export function parseCatalog(json: unknown): CatalogEntry[] {
  const result = catalogFile.safeParse(json);
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const [, index, ...rest] = issue.path;
      const entry = typeof index === 'number' ? (json as { plans: Array<{ code?: string }> }).plans[index] : undefined;
      const where =
        typeof index === 'number'
          ? `plans[${index}]${entry?.code ? ` (${entry.code})` : ''}`
          : issue.path.join('.') || 'file';
      problems.push(`${where}${rest.length ? `.${rest.join('.')}` : ''}: ${issue.message}`);
    }
    throw new CatalogError(problems);
  }
  const seen = new Set<string>();
  result.data.plans.forEach((p, i) => {
    if (seen.has(p.code)) problems.push(`plans[${i}] (${p.code}): the code is used twice`);
    seen.add(p.code);
    if (p.altPrice && p.altPrice.currency === p.price.currency)
      problems.push(`plans[${i}] (${p.code}).altPrice: must be in another currency than price`);
    const currencies = [p.price.currency, p.altPrice?.currency, ...(p.prices ?? []).map((x) => x.currency)];
    const twice = currencies.filter((c, at) => c && currencies.indexOf(c) !== at);
    if (twice.length)
      problems.push(
        `plans[${i}] (${p.code}).prices: ${[...new Set(twice)].join(', ')} priced twice (one price per currency)`,
      );
    if (p.cost && p.cost.currency !== p.price.currency)
      problems.push(`plans[${i}] (${p.code}).cost: must be in the price's currency (${p.price.currency})`);
    else if (p.cost && p.price.amount < p.cost.amount)
      problems.push(`plans[${i}] (${p.code}).price: ${p.price.amount} is below the wholesale cost ${p.cost.amount}`);
  });
  if (problems.length) throw new CatalogError(problems);
  return result.data.plans;
}

/**
 * Every column a catalog entry sets on its plan: `load` writes exactly these, and the console's preview
 * and audit compare exactly these, so a field cannot be applied without being shown.
 */
export function planColumns(e: CatalogEntry) {
  return {
    carrier: e.carrier,
    kind: e.kind,
    dataMb: e.dataMb,
    validityDays: e.validityDays,
    priceMinor: e.price.amount,
    currency: e.price.currency,
    altPriceMinor: e.altPrice?.amount ?? null,
    altCurrency: e.altPrice?.currency ?? null,
    // An empty map rather than null: Prisma writes a JSON null only through its own marker value.
    prices: Object.fromEntries((e.prices ?? []).map((x) => [x.currency, x.amount])) as Record<string, number>,
    providerSku: e.providerSku,
    names: e.names,
    costMinor: e.cost?.amount ?? null,
    provider: e.provider ?? null,
    graceDays: e.graceDays ?? null,
    starsPrice: e.starsPrice ?? null,
    active: e.active,
  };
}

export type PlanColumns = ReturnType<typeof planColumns>;

export function readCatalogFile(path: string): CatalogEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CatalogError([`${path}: ${(error as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CatalogError([`${path}: not valid JSON (${(error as Error).message})`]);
  }
  return parseCatalog(json);
}

/** One plan a file changes: the catalog file's field names, and each changed column before and after. */
export type PlanChange = {
  code: string;
  fields: string[];
  before: Partial<PlanColumns>;
  after: Partial<PlanColumns>;
};

export type CatalogChanges = {
  added: string[];
  changed: PlanChange[];
  switchedOff: string[];
  unchanged: number;
};

// Columns that the catalog file sets as one field.
const FILE_FIELD: Partial<Record<keyof PlanColumns, string>> = {
  priceMinor: 'price',
  currency: 'price',
  altPriceMinor: 'altPrice',
  altCurrency: 'altPrice',
  costMinor: 'cost',
};

/** Every column the file would write that differs (JSON compared by value: PostgreSQL's jsonb reorders keys). */
function planChange(current: Record<keyof PlanColumns, unknown>, next: PlanColumns): Omit<PlanChange, 'code'> | null {
  // A plan stored before prices per currency had none: the same as an empty map.
  const now = { ...current, prices: current.prices ?? {} };
  const keys = (Object.keys(next) as Array<keyof PlanColumns>).filter(
    (k) => !sameJson(now[k] ?? null, next[k] ?? null),
  );
  if (!keys.length) return null;
  const pick = (from: Record<keyof PlanColumns, unknown>) =>
    Object.fromEntries(keys.map((k) => [k, from[k] ?? null])) as Partial<PlanColumns>;
  return { fields: [...new Set(keys.map((k) => FILE_FIELD[k] ?? k))], before: pick(current), after: pick(next) };
}

/**
 * What loading `entries` would change (plans added, changed column by column, switched off); nothing
 * is written. It compares exactly the columns `load` writes, so the console's preview, its audit and
 * `catalog:load --dry-run` see all that applying the file does.
 */
export async function catalogChanges(db: Db, entries: CatalogEntry[]): Promise<CatalogChanges> {
  const current = new Map((await db.plan.findMany()).map((p) => [p.code, p]));
  const added: string[] = [];
  const changed: PlanChange[] = [];
  for (const e of entries) {
    const p = current.get(e.code);
    if (!p) {
      added.push(e.code);
      continue;
    }
    const change = planChange(p, planColumns(e));
    if (change) changed.push({ code: e.code, ...change });
  }
  const codes = new Set(entries.map((e) => e.code));
  const switchedOff = [...current.values()].filter((p) => p.active && !codes.has(p.code)).map((p) => p.code);
  return { added, changed, switchedOff, unchanged: entries.length - added.length - changed.length };
}

export function createCatalogService(deps: { db: Db; snapshot?: Partial<CatalogSnapshotOptions> }) {
  const { db } = deps;
  const snapshot = catalogSnapshot(db, deps.snapshot);

  return {
    /** Replaces the catalog: plans in the file are created or updated, plans missing from it are switched off. */
    async load(entries: CatalogEntry[]): Promise<{ upserted: number; deactivated: number }> {
      const codes = entries.map((e) => e.code);
      return db
        .$transaction(async (tx) => {
          // New plans in one statement (all of them when the catalog is seeded at a first start), then the
          // changes one by one: a round trip per plan made the seed the slowest step of a start on a busy machine.
          const stored = new Set(
            (await tx.plan.findMany({ where: { code: { in: codes } }, select: { code: true } })).map((p) => p.code),
          );
          const rows = entries.map((e, i) => ({ code: e.code, ...planColumns(e), sortOrder: i }));
          const added = rows.filter((row) => !stored.has(row.code));
          if (added.length) await tx.plan.createMany({ data: added });
          for (const { code, ...data } of rows.filter((row) => stored.has(row.code)))
            await tx.plan.update({ where: { code }, data });
          const { count } = await tx.plan.updateMany({
            where: { code: { notIn: entries.map((e) => e.code) }, active: true },
            data: { active: false },
          });
          return { upserted: entries.length, deactivated: count };
        })
        .finally(() => snapshot.forget());
    },
    /** For display: the price a traveller pays is read afresh when the order is made. */
    async plansFor(carrier: string): Promise<PlanView[]> {
      return snapshot.forCarrier(carrier);
    },
    async byCode(code: string): Promise<PlanView | null> {
      return (await snapshot.byCode(code)) ?? null;
    },
    async byId(id: string): Promise<PlanView | null> {
      return (await snapshot.byId(id)) ?? null;
    },
    /** After a change made here outside `load` (the console switching a plan on or off). */
    changed(): void {
      snapshot.forget();
    },
    async isEmpty(): Promise<boolean> {
      return (await db.plan.count()) === 0;
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
