import type { Db } from '../adapters/db/client.js';
import { may, type OperatorRole, type Permission } from '../domain/operator-role.js';
import { audit } from './audit.js';

export type OperatorView = {
  telegramId: number;
  role: OperatorRole;
  name: string | null;
  username: string | null;
  /** An owner from ADMIN_IDS: the console cannot change them. */
  fixed: boolean;
};

/**
 * The console's operators and their roles. ADMIN_IDS are the owners, always and only; an owner adds and
 * removes support operators here, each change audited. A row also keeps the name Telegram gave at /admin.
 */
export function createOperators(deps: { db: Db; adminIds: number[] }) {
  const { db, adminIds } = deps;
  const isOwner = (id: number) => adminIds.includes(id);

  async function roleOf(telegramId: number): Promise<OperatorRole | null> {
    if (isOwner(telegramId)) return 'owner';
    if (!Number.isSafeInteger(telegramId) || telegramId <= 0) return null;
    const row = await db.operator.findUnique({ where: { telegramId: BigInt(telegramId) }, select: { role: true } });
    return row?.role === 'support' ? 'support' : null;
  }

  return {
    roleOf,

    /** Whether this Telegram user may do this now (false for anyone who is not an operator). */
    async allows(telegramId: number, permission: Permission): Promise<boolean> {
      const role = await roleOf(telegramId);
      return role !== null && may(role, permission);
    },

    /** Keeps the operator's name as Telegram shows it, for the console's lists and audit log. */
    async remember(telegramId: number, who: { name: string; username?: string | undefined }): Promise<void> {
      const role = await roleOf(telegramId);
      if (!role) return;
      const name = who.name.slice(0, 128);
      const username = who.username?.slice(0, 64) ?? null;
      await db.operator.upsert({
        where: { telegramId: BigInt(telegramId) },
        create: { telegramId: BigInt(telegramId), role, name, username },
        update: { name, username },
      });
    },

    /** Owners first (every ADMIN_IDS entry, named or not), then support operators. */
    async list(): Promise<OperatorView[]> {
      const rows = await db.operator.findMany({ orderBy: { createdAt: 'asc' } });
      const byId = new Map(rows.map((r) => [Number(r.telegramId), r]));
      const owners = adminIds.map((id) => ({
        telegramId: id,
        role: 'owner' as const,
        name: byId.get(id)?.name ?? null,
        username: byId.get(id)?.username ?? null,
        fixed: true,
      }));
      const support = rows
        .filter((r) => r.role === 'support' && !isOwner(Number(r.telegramId)))
        .map((r) => ({
          telegramId: Number(r.telegramId),
          role: 'support' as const,
          name: r.name,
          username: r.username,
          fixed: false,
        }));
      return [...owners, ...support];
    },

    /** Every known operator's name, for "who did it" columns. */
    async names(): Promise<Map<number, string>> {
      const rows = await db.operator.findMany({
        where: { name: { not: null } },
        select: { telegramId: true, name: true },
      });
      return new Map(rows.map((r) => [Number(r.telegramId), r.name!]));
    },

    /**
     * Gives `telegramId` the support role (or takes it away with null), by an owner; audited.
     * 'owner' is not a role the console gives: ADMIN_IDS is the list of owners.
     */
    async setSupport(
      ownerId: number,
      telegramId: number,
      support: boolean,
    ): Promise<'added' | 'removed' | 'unchanged' | 'is_owner' | 'not_allowed'> {
      if (!isOwner(ownerId)) return 'not_allowed';
      if (isOwner(telegramId)) return 'is_owner';
      const before = await roleOf(telegramId);
      const id = BigInt(telegramId);
      if (support === (before === 'support')) return 'unchanged';
      await db.$transaction(async (tx) => {
        if (support)
          await tx.operator.upsert({
            where: { telegramId: id },
            create: { telegramId: id, role: 'support', addedBy: BigInt(ownerId) },
            update: { role: 'support', addedBy: BigInt(ownerId) },
          });
        else await tx.operator.delete({ where: { telegramId: id } });
        await audit(tx, {
          actorId: ownerId,
          action: 'operator.role',
          subject: String(telegramId),
          before: { role: before ?? 'none' },
          after: { role: support ? 'support' : 'none' },
        });
      });
      return support ? 'added' : 'removed';
    },
  };
}

export type Operators = ReturnType<typeof createOperators>;
