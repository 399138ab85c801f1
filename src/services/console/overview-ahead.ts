import type { Db } from '../../adapters/db/client.js';
import type { OverviewService } from './overview.js';

/**
 * Keeps the closed days of every timezone an operator reads the overview in stored ahead, so no
 * operator waits for a month's recount when they open it (after a deploy, or a change of clocks):
 * each operator's chat timezone and their newest choice in the console.
 */
export function createOverviewAhead(deps: { db: Db; overview: OverviewService; adminIds: number[] }) {
  const { db } = deps;
  return {
    async prepare(): Promise<{ timeZones: string[] }> {
      if (!deps.adminIds.length) return { timeZones: [] };
      const operators = deps.adminIds.map(BigInt);
      const [inChat, chosen] = await Promise.all([
        db.user.findMany({ where: { telegramId: { in: operators } }, select: { timezone: true } }),
        db.consoleSession.findMany({
          where: { operatorId: { in: operators }, chosenAt: { not: null } },
          orderBy: { chosenAt: 'desc' },
          distinct: ['operatorId'],
          select: { timezone: true },
        }),
      ]);
      const timeZones = [...new Set([...inChat, ...chosen].map((r) => r.timezone))];
      for (const timeZone of timeZones) await deps.overview.get(timeZone);
      return { timeZones };
    },
  };
}
