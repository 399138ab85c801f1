import { RateLimiterPrisma, RateLimiterRes, type IRateLimiterOptions } from 'rate-limiter-flexible';
import type { Db } from './client.js';

type Row = { key: string; points: number; expire: Date | null };

/**
 * rate-limiter-flexible's Prisma store on Kuota's RateLimit table, reading Kuota's clock.
 * The library's own store works with our driver-adapter client on SQLite and PostgreSQL (it only
 * uses model calls), but it reads the wall clock; every other time rule in Kuota takes `now`, so a
 * lock, a cooldown and its expiry in the housekeeping job all follow one clock (and tests can move it).
 */
export class ClockedPrismaRateLimiter extends RateLimiterPrisma {
  private readonly now: () => Date;

  constructor(db: Db, now: () => Date, options: IRateLimiterOptions) {
    // Expired rows are removed by the housekeeping job, not by a timer in each limiter.
    super({ ...options, storeClient: db, tableName: 'rateLimit', clearExpiredByTimeout: false });
    this.now = now;
  }

  private get table() {
    return (this as unknown as { prismaClient: Db }).prismaClient.rateLimit;
  }

  _getRateLimiterRes(_key: string, changedPoints: number, row: Row): RateLimiterRes {
    const consumed = row.points;
    const msBeforeNext = row.expire ? Math.max(new Date(row.expire).getTime() - this.now().getTime(), 0) : -1;
    return new RateLimiterRes(Math.max(this.points - consumed, 0), msBeforeNext, consumed, consumed === changedPoints);
  }

  async _upsert(key: string, points: number, msDuration: number, forceExpire = false): Promise<Row> {
    const at = this.now();
    const expire = msDuration > 0 ? new Date(at.getTime() + msDuration) : null;
    if (forceExpire)
      return this.table.upsert({ where: { key }, create: { key, points, expire }, update: { points, expire } });
    // An expired row starts a new window; a live one is incremented in the database, so concurrent calls all count.
    await this.table.deleteMany({ where: { key, expire: { lte: at } } });
    return this.table.upsert({
      where: { key },
      create: { key, points, expire },
      update: { points: { increment: points } },
    });
  }

  _get(key: string): Promise<Row | null> {
    return this.table.findFirst({ where: { key, OR: [{ expire: { gt: this.now() } }, { expire: null }] } });
  }
}
