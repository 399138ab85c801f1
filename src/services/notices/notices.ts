import { z } from 'zod';
import type { Db } from '../../adapters/db/client.js';
import { audit } from '../audit.js';
import type { Leases } from '../leases.js';
import { cleanText, fieldText } from '../../domain/text.js';

export const audienceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('all') }),
  z.object({ type: z.literal('carrier'), carrier: z.string().min(1) }),
  z.object({ type: z.literal('plans'), codes: z.array(z.string().min(1)).min(1) }),
]);
export type Audience = z.infer<typeof audienceSchema>;

export const noticeDraftSchema = z.object({
  titles: z.record(z.string(), z.string().min(1).max(120)),
  bodies: z.record(z.string(), z.string().min(1).max(3000)),
  audience: audienceSchema,
});
export type NoticeDraft = z.infer<typeof noticeDraftSchema>;

export const NOTICE_TITLE_MAX = 120;
export const NOTICE_BODY_MAX = 3000;

/** What an operator typed (in chat or a file) as it can be stored and sent: clean, within the lengths, cut between characters. */
export function tidyDraft(draft: NoticeDraft): NoticeDraft {
  const texts = (values: Record<string, string>, max: number) =>
    Object.fromEntries(
      Object.entries(values)
        .map(([lng, text]) => [lng, fieldText(text, max)])
        .filter((e): e is [string, string] => e[1] !== null),
    );
  const { audience } = draft;
  return {
    titles: texts(draft.titles, NOTICE_TITLE_MAX),
    bodies: texts(draft.bodies, NOTICE_BODY_MAX),
    audience:
      audience.type === 'plans'
        ? { type: 'plans', codes: audience.codes.map((c) => cleanText(c).trim()).filter(Boolean) }
        : audience.type === 'carrier'
          ? { type: 'carrier', carrier: cleanText(audience.carrier) }
          : audience,
  };
}

export type NoticeStatus = {
  noticeId: string;
  state: NoticeState;
  publishedAt: string;
  recipients: number;
  sent: number;
  pending: number;
  failed: number;
  unreachable: number;
  secondsLeft: number;
};
export type NoticeState = 'scheduled' | 'publishing' | 'published' | 'cancelled';
export type NoticeView = {
  id: string;
  titles: Record<string, string>;
  bodies: Record<string, string>;
  /** When it was published; for a notice not yet published, when it is due. */
  publishedAt: string;
  state: NoticeState;
  audience: Audience;
};

const CHUNK = 1000;
const SCHEDULER_LEASE = 'notices.scheduled';

type NoticeRow = {
  id: string;
  titles: unknown;
  bodies: unknown;
  audience: unknown;
  publishedAt: Date;
  state: string;
};
const viewOf = (n: NoticeRow): NoticeView => ({
  id: n.id,
  titles: n.titles as Record<string, string>,
  bodies: n.bodies as Record<string, string>,
  publishedAt: n.publishedAt.toISOString(),
  state: n.state as NoticeState,
  audience: audienceSchema.catch({ type: 'all' }).parse(n.audience),
});

/**
 * Policy-change notices: published once to an audience, delivered through the outbox; or scheduled, and
 * published by the scheduler when due (one instance at a time, each traveller queued once).
 */
export function createNoticeService(deps: {
  db: Db;
  now: () => Date;
  defaultLanguage: string;
  ratePerSecond: number;
  /** For the scheduler: without them (the command line) nothing scheduled is published. */
  leases?: Leases;
}) {
  const { db } = deps;

  function audienceWhere(audience: Audience) {
    const base = { reachable: true, alertNotices: true };
    if (audience.type === 'all') return base;
    if (audience.type === 'carrier')
      return { ...base, lines: { some: { carrier: audience.carrier, unlinkedAt: null } } };
    return { ...base, lines: { some: { planCode: { in: audience.codes }, unlinkedAt: null } } };
  }

  /** One outbox row per recipient (once each, however often it runs), the count, and the audit row (once). */
  async function queue(
    noticeId: string,
    audience: Audience,
    createdBy: number,
  ): Promise<{ noticeId: string; recipients: number }> {
    let cursor: string | undefined;
    let recipients = 0;
    for (;;) {
      const users = await db.user.findMany({
        where: audienceWhere(audience),
        select: { id: true },
        orderBy: { id: 'asc' },
        take: CHUNK,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      });
      if (!users.length) break;
      cursor = users[users.length - 1]!.id;
      const rows = users.map((u) => ({
        userId: u.id,
        kind: 'notice',
        noticeId,
        dedupeKey: `notice:${noticeId}:${u.id}`,
        payload: { noticeId },
      }));
      const have = new Set(
        (
          await db.outboxMessage.findMany({
            where: { dedupeKey: { in: rows.map((r) => r.dedupeKey) } },
            select: { dedupeKey: true },
          })
        ).map((r) => r.dedupeKey),
      );
      const missing = rows.filter((r) => !have.has(r.dedupeKey));
      if (missing.length) await db.outboxMessage.createMany({ data: missing });
      recipients += users.length;
    }
    await db.notice.update({ where: { id: noticeId }, data: { recipients } });
    // Audited here, so a notice published from the chat, the console or the command line has its row,
    // once however often the same draft is published.
    if (!(await db.auditEntry.findFirst({ where: { action: 'notice.publish', subject: noticeId } })))
      await audit(db, {
        actorId: createdBy,
        action: 'notice.publish',
        subject: noticeId,
        after: { recipients, audience },
      });
    return { noticeId, recipients };
  }

  return {
    /** Problems with a draft, in the operator's terms; empty when it can be published. */
    check(draft: NoticeDraft): string[] {
      const problems: string[] = [];
      if (!draft.titles[deps.defaultLanguage] || !draft.bodies[deps.defaultLanguage])
        problems.push(`a title and body in the default language (${deps.defaultLanguage}) are required`);
      for (const lng of Object.keys(draft.titles))
        if (!draft.bodies[lng]) problems.push(`"${lng}" has a title but no body`);
      return problems;
    },

    async countAudience(audience: Audience): Promise<number> {
      return db.user.count({ where: audienceWhere(tidyDraft({ titles: {}, bodies: {}, audience }).audience) });
    },

    /** Creates the notice and one outbox row per recipient; publishing the same draft id twice queues nothing more. */
    async publish(
      typed: NoticeDraft,
      createdBy: number,
      noticeId?: string,
    ): Promise<{ noticeId: string; recipients: number }> {
      const draft = tidyDraft(typed);
      const problems = this.check(draft);
      if (problems.length) throw new Error(problems.join('; '));
      const existing = noticeId ? await db.notice.findUnique({ where: { id: noticeId } }) : null;
      const notice =
        existing ??
        (await db.notice.create({
          data: {
            ...(noticeId ? { id: noticeId } : {}),
            titles: draft.titles,
            bodies: draft.bodies,
            audience: draft.audience,
            createdBy: BigInt(createdBy),
          },
        }));
      // A notice scheduled under this id is left to the scheduler (or its cancellation).
      if (notice.state !== 'published') return { noticeId: notice.id, recipients: 0 };
      return queue(notice.id, draft.audience, createdBy);
    },

    /** Stores the notice to publish at `at`; the same id scheduled twice stores it once. Audited. */
    async schedule(typed: NoticeDraft, createdBy: number, noticeId: string, at: Date): Promise<{ noticeId: string }> {
      const draft = tidyDraft(typed);
      const problems = this.check(draft);
      if (problems.length) throw new Error(problems.join('; '));
      if (await db.notice.findUnique({ where: { id: noticeId }, select: { id: true } })) return { noticeId };
      await db.notice.create({
        data: {
          id: noticeId,
          titles: draft.titles,
          bodies: draft.bodies,
          audience: draft.audience,
          createdBy: BigInt(createdBy),
          state: 'scheduled',
          scheduledFor: at,
          publishedAt: at,
        },
      });
      await audit(db, {
        actorId: createdBy,
        action: 'notice.schedule',
        subject: noticeId,
        after: { audience: draft.audience, scheduledFor: at.toISOString() },
      });
      return { noticeId };
    },

    /** Cancels a notice not yet published; false once the scheduler has taken it. Audited. */
    async cancel(noticeId: string, by: number): Promise<boolean> {
      const { count } = await db.notice.updateMany({
        where: { id: noticeId, state: 'scheduled' },
        data: { state: 'cancelled' },
      });
      if (count) await audit(db, { actorId: by, action: 'notice.cancel', subject: noticeId });
      return count === 1;
    },

    /**
     * Publishes the scheduled notices that are due. One instance runs it at a time (a lease); a notice is
     * marked publishing before its rows are queued, so a cancel cannot slip in, and a run cut short is
     * finished by the next one (the rows' dedupe keys keep each traveller's message single).
     */
    async publishDue(): Promise<{ published: number }> {
      if (!deps.leases) return { published: 0 };
      const lease = await deps.leases.acquire(SCHEDULER_LEASE, 5 * 60_000);
      if (!lease) return { published: 0 };
      try {
        const due = await db.notice.findMany({
          where: { state: { in: ['scheduled', 'publishing'] }, scheduledFor: { lte: deps.now() } },
          orderBy: { scheduledFor: 'asc' },
        });
        for (const notice of due) {
          await db.notice.updateMany({ where: { id: notice.id, state: 'scheduled' }, data: { state: 'publishing' } });
          const current = await db.notice.findUniqueOrThrow({ where: { id: notice.id }, select: { state: true } });
          if (current.state !== 'publishing') continue; // cancelled meanwhile
          await queue(notice.id, viewOf(notice).audience, Number(notice.createdBy));
          await db.notice.update({ where: { id: notice.id }, data: { state: 'published', publishedAt: deps.now() } });
        }
        return { published: due.length };
      } finally {
        await deps.leases.release(SCHEDULER_LEASE);
      }
    },

    /** Notices waiting for their time, soonest first. */
    async scheduled(): Promise<NoticeView[]> {
      const rows = await db.notice.findMany({ where: { state: 'scheduled' }, orderBy: { scheduledFor: 'asc' } });
      return rows.map(viewOf);
    },

    /** The plan codes among `codes` that the catalog does not have. */
    async unknownPlans(codes: string[]): Promise<string[]> {
      const known = new Set(
        (await db.plan.findMany({ where: { code: { in: codes } }, select: { code: true } })).map((p) => p.code),
      );
      return codes.filter((c) => !known.has(c));
    },

    async status(noticeId?: string): Promise<NoticeStatus | null> {
      const notice = noticeId
        ? await db.notice.findUnique({ where: { id: noticeId } })
        : await db.notice.findFirst({ where: { state: 'published' }, orderBy: { publishedAt: 'desc' } });
      if (!notice) return null;
      const groups = await db.outboxMessage.groupBy({
        by: ['state'],
        where: { noticeId: notice.id },
        _count: { _all: true },
      });
      const count = (...states: string[]) =>
        groups.filter((g) => states.includes(g.state)).reduce((n, g) => n + g._count._all, 0);
      const pending = count('pending', 'sending');
      return {
        noticeId: notice.id,
        state: notice.state as NoticeState,
        publishedAt: notice.publishedAt.toISOString(),
        recipients: notice.recipients,
        sent: count('sent'),
        pending,
        failed: count('failed'),
        unreachable: count('unreachable'),
        secondsLeft: Math.ceil(pending / deps.ratePerSecond),
      };
    },

    /** The newest published notices (one scheduled or cancelled is not news to anyone). */
    async recent(limit = 5): Promise<NoticeView[]> {
      const notices = await db.notice.findMany({
        where: { state: 'published' },
        orderBy: { publishedAt: 'desc' },
        take: limit,
      });
      return notices.map(viewOf);
    },

    async get(id: string): Promise<NoticeView | null> {
      const n = await db.notice.findUnique({ where: { id } });
      return n ? viewOf(n) : null;
    },
  };
}

export type NoticeService = ReturnType<typeof createNoticeService>;

/** The text for a traveller: their language, else the default one. */
export function localized(texts: Record<string, string>, language: string, fallback: string): string {
  return texts[language] ?? texts[language.split('-')[0]!] ?? texts[fallback] ?? Object.values(texts)[0] ?? '';
}
