import { InlineKeyboard } from 'grammy';
import type { Db } from '../../adapters/db/client.js';
import { usageView } from '../../services/usage/usage.js';
import { lineName, type Locale } from '../format.js';
import { CB } from '../keyboards.js';
import { dataLeft } from './messages.js';

export type LowDataPayload = { lineId: string; threshold: number; period: string | null };

/**
 * A low-data warning with a one-tap Renew; null when it no longer applies: the traveller switched
 * these warnings off, unlinked the line, or renewed it (a new plan period) since it was queued.
 */
export async function renderLowData(
  db: Db,
  l: Locale,
  userId: string,
  payload: LowDataPayload,
): Promise<{ text: string; keyboard: InlineKeyboard } | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { alertLowData: true } });
  if (!user?.alertLowData) return null;
  const line = await db.line.findFirst({ where: { id: payload.lineId, userId, unlinkedAt: null } });
  if (!line || (line.expiresAt?.toISOString() ?? null) !== payload.period) return null;
  const left = dataLeft(l, usageView(line));
  const text = [l.t('lowdata.alert', { name: lineName(line), used: payload.threshold }), left, l.t('lowdata.advice')]
    .filter(Boolean)
    .join('\n\n');
  return { text, keyboard: new InlineKeyboard().text(l.t('lowdata.renew'), CB.renewNow(line.id)) };
}
