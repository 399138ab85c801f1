import { createHash } from 'node:crypto';
import type { Db } from '../../adapters/db/client.js';
import type { DatabaseProvider } from '../../adapters/db/provider.js';
import { createDayBuckets, dayStart, sqlDialect, type Bucketed, type DaySpec } from './day-buckets.js';

/**
 * How late a change may become visible after its Order.updatedAt was stamped and still be seen: a
 * transaction committing late, a little clock skew between instances. Changes are re-read this far back.
 */
export const ROLLUP_MARGIN_MS = 60_000;

type Stored = { asOf: number; rows: Bucketed[] };

/**
 * Closed days' buckets of orders, kept in ConsoleDay per timezone offset so the overview reads a
 * month as a few rows. A closed day is recomputed when missing or when one of its orders changed
 * since it was computed: every change to an order moves Order.updatedAt, and the orders changed
 * since the watermark (less ROLLUP_MARGIN_MS) name the days to recompute, e.g. the day a refunded
 * order was created and paid. Two instances may do this at once: each writes what it computed
 * with the watermark it started from, and an older computation never overwrites a newer one.
 * Orders deleted by housekeeping (old drafts) stay counted in the days already closed.
 */
export function createDayRollup<K extends string>(
  db: Db,
  provider: DatabaseProvider,
  specs: Record<K, DaySpec & { table: 'Order' }>,
) {
  const sql = sqlDialect(provider);
  const buckets = createDayBuckets(db, provider);
  const kinds = Object.keys(specs) as K[];
  const at = `CAST(MAX(${sql.epochMs('updatedAt')}) AS BIGINT)`;
  // Stored under the kind and what its buckets are made of: days rolled up by an older definition
  // (other columns, another filter) are not read as this one's; they are recomputed.
  const storedKind = Object.fromEntries(
    kinds.map((k) => [k, `${k}:${createHash('sha256').update(JSON.stringify(specs[k])).digest('hex').slice(0, 8)}`]),
  ) as Record<K, string>;
  const kindOf = new Map(kinds.map((k) => [storedKind[k], k]));

  /** The latest change to any order, in ms (0 when there is none). */
  async function latestChange(): Promise<number> {
    const [row] = await db.$queryRawUnsafe<Array<{ at: unknown }>>(`SELECT ${at} AS at FROM "Order"`);
    return Number(row?.at ?? 0);
  }

  /** The local days (per kind) of orders changed since `sinceMs`, each with its latest change. */
  async function changedDays(
    offset: number,
    sinceMs: number,
  ): Promise<Array<Record<K, number | null> & { at: number }>> {
    const days = kinds.map((k) => sql.day(specs[k].column, offset));
    const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(
      `SELECT ${days.map((d, i) => `${d} AS "${kinds[i]}"`).join(', ')}, ${at} AS at FROM "Order" WHERE "updatedAt" >= ${sql.placeholder(1, 'timestamp')} GROUP BY ${days.join(', ')}`,
      sql.instant(new Date(sinceMs)),
    );
    return rows.map(
      (r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : Number(v)])) as Record<
          K,
          number | null
        > & { at: number },
    );
  }

  /** Writes recomputed days unless a computation from a later watermark is already there. */
  async function store(key: number, asOf: number, days: Array<{ kind: K; day: number; rows: Bucketed[] }>) {
    if (!days.length) return;
    const values: unknown[] = [];
    const tuples = days.map(({ kind, day, rows }) => {
      values.push(key, storedKind[kind], day, JSON.stringify(rows), sql.instant(new Date(asOf)));
      const n = values.length;
      return `(${sql.placeholder(n - 4)}, ${sql.placeholder(n - 3)}, ${sql.placeholder(n - 2)}, ${sql.placeholder(n - 1)}, ${sql.placeholder(n, 'timestamp')})`;
    });
    await db.$executeRawUnsafe(
      `INSERT INTO "ConsoleDay" ("offsetMinutes", "kind", "day", "buckets", "asOf") VALUES ${tuples.join(', ')}
      ON CONFLICT ("offsetMinutes", "kind", "day") DO UPDATE SET "buckets" = excluded."buckets", "asOf" = excluded."asOf" WHERE "ConsoleDay"."asOf" <= excluded."asOf"`,
      ...values,
    );
  }

  async function advance(key: number, watermark: number) {
    await db.$executeRawUnsafe(
      `INSERT INTO "ConsoleRollup" ("offsetMinutes", "watermark") VALUES (${sql.placeholder(1)}, ${sql.placeholder(2, 'timestamp')})
      ON CONFLICT ("offsetMinutes") DO UPDATE SET "watermark" = excluded."watermark" WHERE "ConsoleRollup"."watermark" < excluded."watermark"`,
      key,
      sql.instant(new Date(watermark)),
    );
  }

  /** Consecutive days as [first, last] runs, so each run is one range scan. */
  const runs = (days: number[]) =>
    days
      .sort((a, b) => a - b)
      .reduce<Array<[number, number]>>((all, d) => {
        const last = all.at(-1);
        if (last && last[1] === d - 1) last[1] = d;
        else all.push([d, d]);
        return all;
      }, []);

  return {
    /** The buckets of local days `first`..`last` (all closed: ended before now), per kind. */
    async closedDays(offset: number, first: number, last: number): Promise<Record<K, Bucketed[]>> {
      const key = Math.round(offset / 60_000);
      const [saved, mark] = await Promise.all([
        db.consoleDay.findMany({
          where: { offsetMinutes: key, kind: { in: Object.values(storedKind) }, day: { gte: first, lte: last } },
        }),
        db.consoleRollup.findUnique({ where: { offsetMinutes: key } }),
      ]);
      const stored = new Map<string, Stored>(
        mark
          ? saved.map((s) => [
              `${kindOf.get(s.kind)}:${s.day}`,
              { asOf: s.asOf.getTime(), rows: JSON.parse(s.buckets) as Bucketed[] },
            ])
          : [],
      );
      const need = new Map<K, Set<number>>(kinds.map((k) => [k, new Set()]));
      let watermark = mark?.watermark.getTime() ?? (await latestChange());
      if (mark) {
        for (const change of await changedDays(offset, watermark - ROLLUP_MARGIN_MS)) {
          watermark = Math.max(watermark, change.at);
          for (const k of kinds) {
            const day = change[k];
            const known = day === null ? undefined : stored.get(`${k}:${day}`);
            if (day !== null && day >= first && day <= last && (!known || change.at > known.asOf - ROLLUP_MARGIN_MS))
              need.get(k)!.add(day);
          }
        }
      }
      for (const k of kinds)
        for (let day = first; day <= last; day++) if (!stored.has(`${k}:${day}`)) need.get(k)!.add(day);

      const fresh: Array<{ kind: K; day: number; rows: Bucketed[] }> = [];
      await Promise.all(
        kinds.flatMap((kind) =>
          runs([...need.get(kind)!]).map(async ([from, to]) => {
            const rows = await buckets({
              ...specs[kind],
              since: dayStart(from, offset),
              until: dayStart(to + 1, offset),
              offset,
            });
            for (let day = from; day <= to; day++) fresh.push({ kind, day, rows: rows.filter((r) => r.day === day) });
          }),
        ),
      );
      await store(key, watermark, fresh);
      if (!mark || watermark > mark.watermark.getTime()) await advance(key, watermark);
      if (fresh.length)
        await db.consoleDay.deleteMany({
          where: { offsetMinutes: key, OR: [{ day: { lt: first } }, { kind: { notIn: Object.values(storedKind) } }] },
        });

      for (const f of fresh) stored.set(`${f.kind}:${f.day}`, { asOf: watermark, rows: f.rows });
      return Object.fromEntries(
        kinds.map((k) => [k, [...stored].filter(([id]) => id.startsWith(`${k}:`)).flatMap(([, s]) => s.rows)]),
      ) as Record<K, Bucketed[]>;
    },
  };
}
