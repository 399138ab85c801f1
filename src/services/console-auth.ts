import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../adapters/db/client.js';
import type { OperatorRole } from '../domain/operator-role.js';
import { audit } from './audit.js';
import { createOperators, type Operators } from './operators.js';
import { isTimeZone } from './users.js';

export const SIGN_IN_LINK_MS = 5 * 60_000;

export type ConsoleOperator = { operatorId: number; role: OperatorRole; language: string; timezone: string };

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

/**
 * Console sign-in: `/admin` issues a link that works once within five minutes; opening it starts a
 * session that ends after `idleMs` without a request, or on sign-out. Only hashes are stored, so
 * a copy of the database opens nothing.
 */
export function createConsoleAuth(deps: {
  db: Db;
  now: () => Date;
  adminIds: number[];
  idleMs: number;
  operators?: Operators;
}) {
  const { db, now } = deps;
  const operators = deps.operators ?? createOperators({ db, adminIds: deps.adminIds });
  // A support operator removed by an owner loses the console at their next request, like an owner leaving ADMIN_IDS.
  const roleOf = (id: number) => operators.roleOf(id);

  return {
    /** A sign-in token for an operator; null for anyone else. */
    async issueLink(operatorId: number): Promise<string | null> {
      if (!(await roleOf(operatorId))) return null;
      const token = newToken();
      await db.consoleSignIn.create({
        data: {
          tokenHash: hash(token),
          operatorId: BigInt(operatorId),
          expiresAt: new Date(now().getTime() + SIGN_IN_LINK_MS),
        },
      });
      return token;
    },

    /** Spends a link: a session token when it is fresh, unused and still an operator's; otherwise why not. */
    async redeem(
      token: string,
    ): Promise<
      { session: string; operator: ConsoleOperator } | { error: 'unknown' | 'used' | 'expired' | 'not_operator' }
    > {
      const tokenHash = hash(token);
      const link = await db.consoleSignIn.findUnique({ where: { tokenHash } });
      if (!link) return { error: 'unknown' };
      if (link.usedAt) return { error: 'used' };
      if (link.expiresAt <= now()) return { error: 'expired' };
      const operatorId = Number(link.operatorId);
      const role = await roleOf(operatorId);
      if (!role) return { error: 'not_operator' };
      // Two tabs opening the same link: the conditional update lets exactly one through.
      const { count } = await db.consoleSignIn.updateMany({
        where: { tokenHash, usedAt: null },
        data: { usedAt: now() },
      });
      if (!count) return { error: 'used' };
      // The console speaks the language and clock the operator last chose in it; until then, their chat's.
      const chosen = await db.consoleSession.findFirst({
        where: { operatorId: link.operatorId, chosenAt: { not: null } },
        orderBy: { chosenAt: 'desc' },
        select: { language: true, timezone: true },
      });
      const user = chosen
        ? null
        : await db.user.findUnique({
            where: { telegramId: link.operatorId },
            select: { language: true, timezone: true },
          });
      const prefs = chosen ?? { language: user?.language ?? 'en', timezone: user?.timezone ?? 'Asia/Jakarta' };
      const session = newToken();
      await db.consoleSession.create({
        data: {
          tokenHash: hash(session),
          operatorId: link.operatorId,
          language: prefs.language,
          timezone: prefs.timezone,
          lastSeenAt: now(),
        },
      });
      await audit(db, { actorId: operatorId, action: 'console.sign_in' });
      return { session, operator: { operatorId, role, language: prefs.language, timezone: prefs.timezone } };
    },

    /** The operator behind a session cookie, if it is live; each use keeps it alive. */
    async resume(session: string | undefined): Promise<ConsoleOperator | null> {
      if (!session) return null;
      const tokenHash = hash(session);
      const row = await db.consoleSession.findUnique({ where: { tokenHash } });
      if (!row || row.endedAt) return null;
      const operatorId = Number(row.operatorId);
      const role = await roleOf(operatorId);
      if (row.lastSeenAt.getTime() + deps.idleMs <= now().getTime() || !role) {
        await db.consoleSession.updateMany({ where: { tokenHash, endedAt: null }, data: { endedAt: now() } });
        return null;
      }
      await db.consoleSession.update({ where: { tokenHash }, data: { lastSeenAt: now() } });
      return { operatorId, role, language: row.language, timezone: row.timezone };
    },

    /**
     * The operator's own language and timezone for the console, kept on the session (and carried into
     * their next ones) rather than on their chat settings, which the bot speaks to them with. Audited.
     */
    async choose(session: string, prefs: { language: string; timezone: string }): Promise<boolean> {
      if (!isTimeZone(prefs.timezone)) return false;
      const tokenHash = hash(session);
      const row = await db.consoleSession.findUnique({ where: { tokenHash } });
      if (!row || row.endedAt) return false;
      await db.consoleSession.update({
        where: { tokenHash },
        data: { language: prefs.language, timezone: prefs.timezone, chosenAt: now() },
      });
      await audit(db, {
        actorId: Number(row.operatorId),
        action: 'console.preferences',
        before: { language: row.language, timezone: row.timezone },
        after: prefs,
      });
      return true;
    },

    async signOut(session: string): Promise<void> {
      const row = await db.consoleSession.findUnique({ where: { tokenHash: hash(session) } });
      if (!row || row.endedAt) return;
      await db.consoleSession.update({ where: { tokenHash: hash(session) }, data: { endedAt: now() } });
      await audit(db, { actorId: Number(row.operatorId), action: 'console.sign_out' });
    },
  };
}

export type ConsoleAuth = ReturnType<typeof createConsoleAuth>;
