import type { Db } from '../../adapters/db/client.js';
import { maskIdentifier } from '../../domain/line-identifier.js';
import { orderNumber } from '../../domain/order-state.js';
import { parseTravellerSearch } from '../../domain/traveller-search.js';
import { audit } from '../audit.js';
import type { AutoRenewService } from '../auto-renew/auto-renew.js';
import type { LineService } from '../lines.js';
import { enqueue } from '../outbox.js';

/** One row of the travellers' list. */
export type TravellerRow = {
  userId: string;
  telegramId: number;
  name: string | null;
  username: string | null;
  language: string;
  reachable: boolean;
  lines: number;
  autoRenew: boolean;
  createdAt: string;
};
export type TravellerCounts = { total: number; reachable: number; unreachable: number; autoRenew: number };
export const TRAVELLER_FILTERS = ['all', 'auto_renew', 'unreachable'] as const;
export type TravellerFilter = (typeof TRAVELLER_FILTERS)[number];
/** Auto-renew that still renews, or will again once resumed: a subscriber. */
const SUBSCRIBED = ['active', 'paused'];
const PAGE = 50;
/** The longest message an operator may send: Telegram's 4,096 less the framing around it. */
export const OPERATOR_MESSAGE_MAX = 3500;

export type TravellerView = {
  userId: string;
  telegramId: number;
  name: string | null;
  username: string | null;
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

/**
 * Travellers as the console sees them: a list that pages by key (so 100,000 of them cost the same as 100),
 * one traveller's lines (masked), auto-renew, recent orders and reachability, and an owner's actions on them.
 */
export function createConsoleTravellers(deps: { db: Db; lines: LineService; autoRenew: AutoRenewService }) {
  const { db } = deps;

  function where(q: string, filter: TravellerFilter) {
    const parsed = parseTravellerSearch(q);
    const search =
      parsed.kind === 'digits'
        ? {
            OR: [
              ...(parsed.telegramId !== null ? [{ telegramId: parsed.telegramId }] : []),
              { lines: { some: { identifier: { endsWith: parsed.digits } } } },
            ],
          }
        : parsed.kind === 'name'
          ? { nameKey: { contains: parsed.text } }
          : q.trim()
            ? { id: '' } // too short to look for: nobody
            : {};
    const only =
      filter === 'auto_renew'
        ? { autoRenews: { some: { state: { in: SUBSCRIBED } } } }
        : filter === 'unreachable'
          ? { reachable: false }
          : {};
    return { AND: [search, only] };
  }

  return {
    /** How many travellers there are, how many the bot can reach, and how many renew automatically. */
    async counts(): Promise<TravellerCounts> {
      const [total, unreachable, autoRenew] = await Promise.all([
        db.user.count(),
        db.user.count({ where: { reachable: false } }),
        db.user.count({ where: { autoRenews: { some: { state: { in: SUBSCRIBED } } } } }),
      ]);
      return { total, reachable: total - unreachable, unreachable, autoRenew };
    },

    /** Newest first, a page at a time: `cursor` is the last id of the page before. */
    async list(query: {
      q: string;
      filter: TravellerFilter;
      cursor?: string | undefined;
    }): Promise<{ travellers: TravellerRow[]; next: string | null }> {
      const users = await db.user.findMany({
        where: { ...where(query.q, query.filter), ...(query.cursor ? { id: { lt: query.cursor } } : {}) },
        orderBy: { id: 'desc' },
        take: PAGE + 1,
        select: {
          id: true,
          telegramId: true,
          name: true,
          username: true,
          language: true,
          reachable: true,
          createdAt: true,
          _count: { select: { lines: { where: { unlinkedAt: null } } } },
          autoRenews: { where: { state: { in: SUBSCRIBED } }, select: { id: true }, take: 1 },
        },
      });
      const page = users.slice(0, PAGE);
      return {
        travellers: page.map((u) => ({
          userId: u.id,
          telegramId: Number(u.telegramId),
          name: u.name,
          username: u.username,
          language: u.language,
          reachable: u.reachable,
          lines: u._count.lines,
          autoRenew: u.autoRenews.length > 0,
          createdAt: u.createdAt.toISOString(),
        })),
        next: users.length > PAGE ? page[page.length - 1]!.id : null,
      };
    },

    /** Pauses one line's auto-renew (the traveller can resume it in the chat); audited. */
    async pauseAutoRenew(operatorId: number, userId: string, lineId: string): Promise<'paused' | 'not_active'> {
      if (!(await deps.autoRenew.setState(userId, lineId, 'paused'))) return 'not_active';
      await audit(db, { actorId: operatorId, action: 'autorenew.pause', subject: lineId });
      return 'paused';
    },

    /** Unlinks a line as the traveller would: its order history stays, its auto-renew stops; audited. */
    async unlinkLine(operatorId: number, userId: string, lineId: string): Promise<'unlinked' | 'not_linked'> {
      if (!(await deps.lines.unlink(userId, lineId))) return 'not_linked';
      // An unlinked line is never charged again, and its saved card is not kept (as in the chat).
      await deps.autoRenew.switchOff(userId, lineId);
      await audit(db, { actorId: operatorId, action: 'line.unlink', subject: lineId });
      return 'unlinked';
    },

    /**
     * Queues one message from the operators to the traveller, once per `requestKey` (a second post of the
     * same form queues nothing more); audited with its text.
     */
    async sendMessage(
      operatorId: number,
      userId: string,
      text: string,
      requestKey: string,
    ): Promise<'queued' | 'unreachable' | 'not_found'> {
      const user = await db.user.findUnique({ where: { id: userId }, select: { reachable: true } });
      if (!user) return 'not_found';
      if (!user.reachable) return 'unreachable';
      const dedupeKey = `operator_message:${userId}:${requestKey.slice(0, 64)}`;
      if (await db.outboxMessage.findUnique({ where: { dedupeKey }, select: { id: true } })) return 'queued';
      await db.$transaction(async (tx) => {
        await enqueue(tx, { userId, kind: 'operator_message', payload: { text }, dedupeKey });
        await audit(tx, { actorId: operatorId, action: 'traveller.message', subject: userId, after: { text } });
      });
      return 'queued';
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
        name: u.name,
        username: u.username,
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
