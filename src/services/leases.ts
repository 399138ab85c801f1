import type { Db } from '../adapters/db/client.js';
import { isUniqueViolation } from './db-errors.js';

/**
 * A named lease in the database: of several instances, the one holding it runs the job this
 * tick. Works the same on SQLite and PostgreSQL (a conditional update decides the winner).
 */
export function createLeases(db: Db, holder: string, now: () => Date) {
  return {
    /** The previous run's time (null on the first run) when the lease is won; false when another instance holds it. */
    async acquire(name: string, ttlMs: number): Promise<{ lastRunAt: Date | null } | false> {
      const at = now();
      const until = new Date(at.getTime() + ttlMs);
      const current = await db.jobLease.findUnique({ where: { name } });
      if (!current) {
        try {
          await db.jobLease.create({ data: { name, holder, until } });
          return { lastRunAt: null };
        } catch (error) {
          if (isUniqueViolation(error)) return false; // another instance created it first
          throw error;
        }
      }
      if (current.until > at && current.holder !== holder) return false;
      const { count } = await db.jobLease.updateMany({
        where: { name, holder: current.holder, until: current.until },
        data: { holder, until },
      });
      return count === 1 ? { lastRunAt: current.lastRunAt } : false;
    },
    async finished(name: string, ranAt: Date): Promise<void> {
      await db.jobLease.updateMany({ where: { name, holder }, data: { lastRunAt: ranAt } });
    },
    /** Lets another instance take the lease at once (a job run on demand, not by the clock). */
    async release(name: string): Promise<void> {
      await db.jobLease.updateMany({ where: { name, holder }, data: { until: now() } });
    },
  };
}

export type Leases = ReturnType<typeof createLeases>;
