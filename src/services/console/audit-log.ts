import type { Db } from '../../adapters/db/client.js';
import { maskIdentifier } from '../../domain/line-identifier.js';
import { orderNumber } from '../../domain/order-state.js';
import { auditLog, type AuditView } from '../audit.js';

/** What an audit entry is about, as the operator knows it: a KU- number, a masked line, a plan code, a notice. */
export type AuditSubject =
  | { kind: 'order'; id: string; label: string }
  | { kind: 'line'; userId: string; label: string }
  | { kind: 'traveller'; userId: string; label: string }
  | { kind: 'plan'; label: string }
  | { kind: 'esim'; label: string }
  | { kind: 'notice'; id: string }
  | { kind: 'operator'; telegramId: number }
  | null;

export type AuditRow = AuditView & { about: AuditSubject };

/** The newest audit entries, each with its subject named the way the console shows it (never an internal id). */
export async function consoleAuditLog(db: Db, take: number): Promise<AuditRow[]> {
  const entries = await auditLog(db, { take });
  const lineIds = entries.filter((e) => LINE_ACTIONS.has(e.action) && e.subject).map((e) => e.subject!);
  const lines = lineIds.length
    ? await db.line.findMany({ where: { id: { in: lineIds } }, select: { id: true, identifier: true, userId: true } })
    : [];
  const lineOf = new Map(lines.map((l) => [l.id, l]));
  const userIds = entries.filter((e) => e.action === 'traveller.message' && e.subject).map((e) => e.subject!);
  const users = userIds.length
    ? await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, telegramId: true } })
    : [];
  const telegramIdOf = new Map(users.map((u) => [u.id, String(u.telegramId)]));
  return entries.map((e) => ({ ...e, about: subjectOf(e, lineOf, telegramIdOf) }));
}

const LINE_ACTIONS = new Set(['line.reveal', 'line.unlink', 'autorenew.pause']);

function subjectOf(
  e: AuditView,
  lines: Map<string, { identifier: string; userId: string }>,
  travellers: Map<string, string>,
): AuditSubject {
  if (!e.subject) return null;
  if (e.action.startsWith('order.')) return { kind: 'order', id: e.subject, label: orderNumber(e.subject) };
  if (e.action.startsWith('plan.')) return { kind: 'plan', label: e.subject };
  if (e.action === 'esim.claim_code') return { kind: 'esim', label: maskIdentifier(e.subject) };
  if (e.action.startsWith('notice.')) return { kind: 'notice', id: e.subject };
  if (e.action === 'traveller.message')
    return { kind: 'traveller', userId: e.subject, label: travellers.get(e.subject) ?? '—' };
  if (e.action === 'operator.role') return { kind: 'operator', telegramId: Number(e.subject) };
  const line = lines.get(e.subject);
  if (LINE_ACTIONS.has(e.action) && line)
    return { kind: 'line', userId: line.userId, label: maskIdentifier(line.identifier) };
  return null;
}
