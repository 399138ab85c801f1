import type { Db } from '../../adapters/db/client.js';
import type { DatabaseProvider } from '../../adapters/db/provider.js';

const DAY = 86_400_000;

/** The timezone's offset from UTC at `at`, in ms (a day bucket uses today's offset for the whole range). */
export function offsetMs(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .formatToParts(at).map((p) => [p.type, p.value]));
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)) - Math.floor(at.getTime() / 1000) * 1000;
}

export type Bucketed = Record<string, string | number> & { day: number; n: number; sum: number };

/**
 * Counts (and sums) rows per local day and per the given columns, in one indexed range scan. Both
 * databases compute the same day number from milliseconds since 1970, so the figures agree.
 * `table`, `column` and `by` are Kuota's own identifiers, never input.
 */
export function createDayBuckets(db: Db, provider: DatabaseProvider) {
  const epochMs = (column: string) => (provider === 'sqlite' ? `"${column}"` : `(EXTRACT(EPOCH FROM "${column}") * 1000)`);
  const param = (d: Date) => (provider === 'sqlite' ? d.getTime() : d.toISOString());
  const cast = (i: number) => (provider === 'sqlite' ? `?` : `$${i}::timestamp`);

  return async function buckets(q: { table: string; column: string; since: Date; offset: number; by: string[]; where?: string; sum?: string }): Promise<Bucketed[]> {
    const day = `CAST(FLOOR((${epochMs(q.column)} + ${Math.trunc(q.offset)}) / ${DAY}) AS INTEGER)`;
    const by = q.by.map((c) => `"${c}"`);
    const sql = `SELECT ${day} AS day, ${by.map((c) => `${c} AS ${c}`).join(', ')}${by.length ? ', ' : ''}COUNT(*) AS n, ${q.sum ? `SUM("${q.sum}")` : '0'} AS sum
      FROM "${q.table}" WHERE "${q.column}" >= ${cast(1)}${q.where ? ` AND ${q.where}` : ''} GROUP BY ${[day, ...by].join(', ')}`;
    const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(sql, param(q.since));
    return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' || k === 'n' || k === 'sum' || k === 'day' ? Number(v ?? 0) : String(v ?? '')])) as Bucketed);
  };
}

/** The local day number of an instant, as the buckets number them. */
export const dayNumber = (at: Date, offset: number) => Math.floor((at.getTime() + offset) / DAY);
