import type { Db } from '../../adapters/db/client.js';
import { parseSearch } from '../../domain/console.js';
import { maskIdentifier } from '../../domain/line-identifier.js';
import { orderNumber } from '../../domain/order-state.js';
import { audit } from '../audit.js';

export type TravellerView = {
  userId: string;
  telegramId: number;
  language: string;
  timezone: string;
  reachable: boolean;
  createdAt: string;
  lines: Array<{
    lineId: string;
    masked: string;
    kind: string;
    carrier: string;
    label: string | null;
    planCode: string | null;
    expiresAt: string | null;
    unlinked: boolean;
    autoRenew: { state: string; planCode: string; capMinor: number; currency: string; card: string | null } | null;
  }>;
  orders: Array<{
    orderId: string;
    orderNumber: string;
    state: string;
    amountMinor: number;
    currency: string;
    createdAt: string;
  }>;
};

/** One traveller as support sees them: lines (masked), auto-renew, recent orders, whether messages reach them. */
export function createConsoleTravellers(deps: { db: Db }) {
  const { db } = deps;

  return {
    /** By Telegram id or a line's last digits; at most 20. */
    async find(q: string): Promise<Array<{ userId: string; telegramId: number; lines: string[] }>> {
      const parsed = parseSearch(q);
      if (parsed.kind !== 'digits') return [];
      const users = await db.user.findMany({
        where: {
          OR: [
            ...(parsed.telegramId !== null ? [{ telegramId: parsed.telegramId }] : []),
            { lines: { some: { identifier: { endsWith: parsed.digits } } } },
          ],
        },
        include: { lines: { select: { identifier: true } } },
        take: 20,
      });
      return users.map((u) => ({
        userId: u.id,
        telegramId: Number(u.telegramId),
        lines: u.lines.map((l) => maskIdentifier(l.identifier)),
      }));
    },

    async get(userId: string): Promise<TravellerView | null> {
      const u = await db.user.findUnique({
        where: { id: userId },
        include: { lines: { include: { autoRenew: true }, orderBy: { createdAt: 'asc' } } },
      });
      if (!u) return null;
      const orders = await db.order.findMany({
        where: { userId, state: { not: 'draft' } },
        orderBy: { createdAt: 'desc' },
        take: 20,
      });
      return {
        userId: u.id,
        telegramId: Number(u.telegramId),
        language: u.language,
        timezone: u.timezone,
        reachable: u.reachable,
        createdAt: u.createdAt.toISOString(),
        lines: u.lines.map((l) => ({
          lineId: l.id,
          masked: maskIdentifier(l.identifier),
          kind: l.kind,
          carrier: l.carrier,
          label: l.label,
          planCode: l.planCode,
          expiresAt: l.expiresAt?.toISOString() ?? null,
          unlinked: l.unlinkedAt !== null,
          autoRenew: l.autoRenew
            ? {
                state: l.autoRenew.state,
                planCode: l.autoRenew.planCode,
                capMinor: l.autoRenew.capMinor,
                currency: l.autoRenew.currency,
                card: l.autoRenew.cardLast4 ? `${l.autoRenew.cardBrand ?? 'card'} •••• ${l.autoRenew.cardLast4}` : null,
              }
            : null,
        })),
        orders: orders.map((o) => ({
          orderId: o.id,
          orderNumber: orderNumber(o.id),
          state: o.state,
          amountMinor: o.amountMinor,
          currency: o.currency,
          createdAt: o.createdAt.toISOString(),
        })),
      };
    },

    /** The full number or ICCID, written to the audit log before it is shown. */
    async reveal(operatorId: number, lineId: string): Promise<{ identifier: string; userId: string } | null> {
      const line = await db.line.findUnique({ where: { id: lineId }, select: { identifier: true, userId: true } });
      if (!line) return null;
      await audit(db, { actorId: operatorId, action: 'line.reveal', subject: lineId });
      return line;
    },

    /**
     * The number this operator has just revealed (their last audited action), for the page the reveal
     * redirects to: a reload reads it again and writes nothing; a reveal nobody made shows nothing.
     */
    async revealed(operatorId: number, lineId: string): Promise<{ identifier: string; userId: string } | null> {
      const last = await db.auditEntry.findFirst({
        where: { actorId: BigInt(operatorId) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        select: { action: true, subject: true },
      });
      if (last?.action !== 'line.reveal' || last.subject !== lineId) return null;
      return db.line.findUnique({ where: { id: lineId }, select: { identifier: true, userId: true } });
    },
  };
}

export type ConsoleTravellers = ReturnType<typeof createConsoleTravellers>;
