import type { Tx } from '../../adapters/db/client.js';
import type { Line, User } from '../../adapters/db/generated/sqlite/client.js';
import type { Usage } from '../ports/provider-gateway.js';
import { quietHoursEnd } from '../../domain/reminders.js';
import { crossedThreshold, lowDataKey, usedPercent } from '../../domain/usage.js';
import { installedBy } from '../../domain/esim-refund.js';
import { isUniqueViolation } from '../db-errors.js';
import { noteFirstUse } from '../esim-sales/first-use.js';
import type { ServiceDeps } from '../deps.js';
import type { Leases } from '../leases.js';
import { PROVIDER_WAIT_MS, within } from '../within.js';

/** A line's data as last reported; dates as ISO strings, so it survives a conversation's replay. */
export type LineUsage = {
  remainingMb: number | null;
  totalMb: number | null;
  unlimited: boolean;
  status: string | null;
  expiresAt: string | null;
  checkedAt: string;
};

export type UsageOptions = {
  /** A report younger than this is shown as it is; the provider is not asked again. */
  maxAgeMs: number;
  /** Percent used at which the traveller is warned (75 and 90 by default). */
  thresholds: number[];
  /** How long a caller waits for the provider before it gets the last report; the answer is still stored when it comes. */
  waitMs?: number;
};

type Kind = 'msisdn' | 'iccid';

/** The report kept on a line, or null when none was made. */
export function usageView(line: Line): LineUsage | null {
  return line.usageCheckedAt
    ? {
        remainingMb: line.dataLeftMb,
        totalMb: line.dataTotalMb,
        unlimited: line.dataUnlimited,
        status: line.usageStatus,
        expiresAt: line.usageExpiresAt?.toISOString() ?? null,
        checkedAt: line.usageCheckedAt.toISOString(),
      }
    : null;
}
type LineWithUser = Line & { user: User };

/**
 * Data left per line, from providers that report it. Reports are kept on the line and reused for
 * `maxAgeMs`, so My numbers, the order summary and the jobs never ask the provider more often
 * (Airalo rate-limits usage per eSIM). A fresh report that crosses a threshold queues one
 * low-data warning per line, plan period and threshold, after the traveller's quiet hours.
 */
export function createUsageService(deps: ServiceDeps & { leases?: Leases; options: UsageOptions }) {
  const { db, provider, now, logger, options } = deps;

  const reports = (kind: Kind) => provider.reportsUsage?.(kind) ?? typeof provider.usage === 'function';

  const toView = usageView;

  /** `tx`: inside a transaction a unique violation would abort it, so the key is looked up first. */
  async function warnIfLow(line: LineWithUser, used: number | null, tx?: Tx): Promise<boolean> {
    const threshold = crossedThreshold(used, options.thresholds);
    if (threshold === null || !line.user.alertLowData || !line.user.reachable) return false;
    const at = now();
    const sendAt = quietHoursEnd(at, line.user.timezone, line.user.quietStart, line.user.quietEnd) ?? at;
    const dedupeKey = lowDataKey(line.id, line.expiresAt, threshold);
    const data = {
      userId: line.userId,
      kind: 'low_data',
      dedupeKey,
      nextAttemptAt: sendAt,
      payload: { lineId: line.id, threshold, period: line.expiresAt?.toISOString() ?? null },
    };
    if (tx) {
      if (await tx.outboxMessage.findUnique({ where: { dedupeKey }, select: { id: true } })) return false;
      await tx.outboxMessage.create({ data });
      return true;
    }
    try {
      await db.outboxMessage.create({ data });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false; // already warned this period
      throw error;
    }
  }

  /** The provider's report, or null when it cannot give one now (the push's own figure still counts). */
  async function ask(line: Line): Promise<Usage | null> {
    try {
      return (await provider.usage?.(line.identifier, line.kind as Kind)) ?? null;
    } catch (error) {
      logger.warn({ err: error, lineId: line.id }, 'usage report failed; showing the last one');
      return null;
    }
  }

  /** `user`: the line's traveller, read only when a report came back (a low-data warning needs their settings). */
  async function refresh(line: Line, user: () => Promise<User>): Promise<LineUsage | null> {
    const usage = await ask(line);
    if (!usage) return toView(line);
    const saved = await db.line.update({
      where: { id: line.id },
      data: {
        dataLeftMb: usage.remainingMb,
        dataTotalMb: usage.totalMb,
        dataUnlimited: usage.unlimited,
        usageStatus: usage.status,
        usageExpiresAt: usage.expiresAt,
        usageCheckedAt: now(),
      },
    });
    await warnIfLow({ ...line, user: await user() }, usedPercent(usage));
    await firstUse(line, usage);
    return toView(saved);
  }

  /** A report that an eSIM not known to have connected now has: a new eSIM Kuota sold is greeted once. */
  async function firstUse(line: Line, usage: Usage): Promise<void> {
    if (line.kind !== 'iccid' || installedBy(line.usageStatus) === true) return;
    await noteFirstUse(db, line.identifier, usage, now()).catch((err: unknown) =>
      logger.warn({ err, lineId: line.id }, 'first use of the eSIM not noted; the next report notes it'),
    );
  }

  const service = {
    reports,
    /** How long a report is kept before the provider is asked again. */
    maxAgeMs: options.maxAgeMs,

    /**
     * The line's usage, asked of the provider only when the last report is older than allowed. A slow
     * provider (or its 429 wait) never holds a chat reply long: past `waitMs` the last report is shown.
     */
    /** `kind`, when the caller has the line at hand, spares the read for a line no provider reports on. */
    async current(lineId: string, kind?: string): Promise<LineUsage | null> {
      if (kind !== undefined && !reports(kind as Kind)) return null;
      const line = await db.line.findUnique({ where: { id: lineId } });
      return line ? service.currentOf(line) : null;
    },

    /** As `current`, for a line the caller has just read: spares reading it again (a reminder's tap in a wave). */
    async currentOf(line: Line): Promise<LineUsage | null> {
      const lineId = line.id;
      if (line.unlinkedAt || !reports(line.kind as Kind)) return null;
      const fresh = line.usageCheckedAt && now().getTime() - line.usageCheckedAt.getTime() < options.maxAgeMs;
      if (fresh) return toView(line);
      const refreshed = refresh(line, () => db.user.findUniqueOrThrow({ where: { id: line.userId } })).catch((err) => {
        logger.warn({ err, lineId }, 'usage refresh failed');
        return toView(line);
      });
      return within(refreshed, options.waitMs ?? PROVIDER_WAIT_MS, toView(line));
    },

    /**
     * A provider's signed low-data push for an eSIM, its figures already range-checked. A fresh report
     * is asked first (outside any transaction); then, in one transaction, the event is recorded
     * (`once.record`, false for a replay), the line's figures are written and each warning is queued.
     * A failure anywhere leaves the event unrecorded, so the partner's retry applies it.
     */
    async onLowDataPush(
      iccid: string,
      usedFromPush: number | null,
      once?: { eventFor: (period: Date | null) => string; record: (tx: Tx, eventId: string) => Promise<boolean> },
    ): Promise<{ lines: number; warned: number; duplicate: boolean }> {
      const lines = await db.line.findMany({ where: { identifier: iccid, unlinkedAt: null }, include: { user: true } });
      const reports = await Promise.all(lines.map((line) => ask(line)));
      const eventId = once?.eventFor(lines[0]?.expiresAt ?? null);
      const result = await db.$transaction(async (tx) => {
        if (once && eventId && !(await once.record(tx, eventId)))
          return { lines: lines.length, warned: 0, duplicate: true };
        let warned = 0;
        for (const [i, line] of lines.entries()) {
          const usage = reports[i];
          const reported = usage ? usedPercent(usage) : null;
          let dataLeftMb = usage?.remainingMb ?? line.dataLeftMb;
          // The provider's usage report may lag its push (Airalo caches it): the push's figure counts, for auto-renew too.
          const totalMb = usage?.totalMb ?? line.dataTotalMb;
          if (usedFromPush !== null && totalMb && (reported === null || usedFromPush > reported))
            dataLeftMb = Math.floor((totalMb * (100 - usedFromPush)) / 100);
          await tx.line.update({
            where: { id: line.id },
            data: usage
              ? {
                  dataLeftMb,
                  dataTotalMb: usage.totalMb,
                  dataUnlimited: usage.unlimited,
                  usageStatus: usage.status,
                  usageExpiresAt: usage.expiresAt,
                  usageCheckedAt: now(),
                }
              : { dataLeftMb },
          });
          const used = Math.max(reported ?? -1, usedFromPush ?? -1);
          if (await warnIfLow(line, used < 0 ? null : used, tx)) warned++;
        }
        return { lines: lines.length, warned, duplicate: false };
      });
      if (!result.duplicate) for (const [i, line] of lines.entries()) if (reports[i]) await firstUse(line, reports[i]);
      return result;
    },

    /** The polling job, on one instance per tick: lines whose provider reports usage but pushes no warnings. */
    async tick(): Promise<{ ran: boolean; checked: number }> {
      if (deps.leases && !(await deps.leases.acquire('low-data', 5 * 60_000))) return { ran: false, checked: 0 };
      const checked = await service.pollLowData();
      await deps.leases?.finished('low-data', now());
      return { ran: true, checked };
    },

    async pollLowData(limit = 500): Promise<number> {
      const at = now();
      const kinds = (['msisdn', 'iccid'] as const).filter((k) => reports(k) && !provider.pushesLowData?.(k));
      if (!kinds.length) return 0;
      const lines = await db.line.findMany({
        where: {
          kind: { in: kinds },
          unlinkedAt: null,
          user: { alertLowData: true, reachable: true },
          OR: [{ expiresAt: null }, { expiresAt: { gt: at } }],
          AND: [
            { OR: [{ usageCheckedAt: null }, { usageCheckedAt: { lt: new Date(at.getTime() - options.maxAgeMs) } }] },
          ],
        },
        select: { id: true },
        orderBy: { usageCheckedAt: 'asc' },
        take: limit,
      });
      for (const line of lines)
        await service.current(line.id).catch((err) => logger.warn({ err, lineId: line.id }, 'low-data check failed'));
      return lines.length;
    },
  };
  return service;
}

export type UsageService = ReturnType<typeof createUsageService>;
