import type { Db } from '../../adapters/db/client.js';
import type { DatabaseProvider } from '../../adapters/db/provider.js';
import { zoneOffsetMs } from '../../domain/console.js';

const DAY = 86_400_000;

/** The timezone's offset from UTC at `at`, in ms (a day bucket uses today's offset for the whole range). */
export const offsetMs = zoneOffsetMs;

export type Bucketed = Record<string, string | number> & { day: number; n: number; sum: number };

/** What is counted per day: rows of `table` by the day of `column`, per the `by` columns. */
export type DaySpec = { table: string; column: string; by: string[]; where?: string; sum?: string };

/**
 * SQL that both databases read alike: instants as ms since 1970 (so day numbers agree) and
 * parameters for instants. Placeholders are numbered for PostgreSQL, `?` for SQLite.
 */
export function sqlDialect(provider: DatabaseProvider) {
  const epochMs = (column: string) =>
    provider === 'sqlite' ? `"${column}"` : `(EXTRACT(EPOCH FROM "${column}") * 1000)`;
  return {
    epochMs,
    /** The local day number of `column` at `offset` ms from UTC. */
    day: (column: string, offset: number) =>
      `CAST(FLOOR((${epochMs(column)} + ${Math.trunc(offset)}) / ${DAY}) AS INTEGER)`,
    instant: (d: Date) => (provider === 'sqlite' ? d.getTime() : d.toISOString()),
    placeholder: (i: number, type?: 'timestamp') => (provider === 'sqlite' ? '?' : type ? `$${i}::${type}` : `$${i}`),
  };
}

/** Raw rows as numbers (counts, sums, days) and strings (the grouped columns). */
export const toBucketed = (rows: Array<Record<string, unknown>>): Bucketed[] =>
  rows.map(
    (r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [
          k,
          // eslint-disable-next-line @typescript-eslint/no-base-to-string -- SQL columns: strings, numbers or dates
          typeof v === 'bigint' || k === 'n' || k === 'sum' || k === 'day' ? Number(v ?? 0) : String(v ?? ''),
        ]),
      ) as Bucketed,
  );

/**
 * Counts (and sums) rows per local day and per the given columns, in one indexed range scan
 * from `since` (to `until`, when given). `table`, `column` and `by` are Kuota's own identifiers, never input.
 */
export function createDayBuckets(db: Db, provider: DatabaseProvider) {
  const sql = sqlDialect(provider);

  return async function buckets(q: DaySpec & { since: Date; until?: Date; offset: number }): Promise<Bucketed[]> {
    const day = sql.day(q.column, q.offset);
    const by = q.by.map((c) => `"${c}"`);
    const until = q.until ? ` AND "${q.column}" < ${sql.placeholder(2, 'timestamp')}` : '';
    const text = `SELECT ${day} AS day, ${by.map((c) => `${c} AS ${c}`).join(', ')}${by.length ? ', ' : ''}COUNT(*) AS n, ${q.sum ? `SUM("${q.sum}")` : '0'} AS sum
      FROM "${q.table}" WHERE "${q.column}" >= ${sql.placeholder(1, 'timestamp')}${until}${q.where ? ` AND ${q.where}` : ''} GROUP BY ${[day, ...by].join(', ')}`;
    const params = [sql.instant(q.since), ...(q.until ? [sql.instant(q.until)] : [])];
    return toBucketed(await db.$queryRawUnsafe<Array<Record<string, unknown>>>(text, ...params));
  };
}

/** The local day number of an instant, as the buckets number them. */
export const dayNumber = (at: Date, offset: number) => Math.floor((at.getTime() + offset) / DAY);

/** The instant a local day starts. */
export const dayStart = (day: number, offset: number) => new Date(day * DAY - offset);
