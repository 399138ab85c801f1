import type { Db, Tx } from '../adapters/db/client.js';

export type AuditAction =
  | 'console.sign_in'
  | 'console.sign_out'
  | 'console.preferences'
  | 'order.refund'
  | 'order.retry_topup'
  | 'order.resend_receipt'
  | 'order.mark_failed'
  | 'order.refund_paid_by_hand'
  | 'line.reveal'
  | 'order.esim_reveal'
  | 'order.esim_resend'
  | 'esim.claim_code'
  | 'plan.switch'
  | 'plan.edit'
  | 'plan.add'
  | 'store.add'
  | 'store.edit'
  | 'store.switch'
  | 'catalog.import'
  | 'notice.publish'
  | 'reconciliation.run'
  | 'reconciliation.resolve'
  | 'operator.role'
  | 'console.export'
  | 'autorenew.pause'
  | 'line.unlink'
  | 'traveller.message'
  | 'notice.schedule'
  | 'notice.cancel';

/** The actor of what Kuota does by itself (an automatic refund): no Telegram id is 0. */
export const SYSTEM_ACTOR = 0;

export type AuditRecord = {
  actorId: number;
  action: AuditAction;
  subject?: string | null;
  before?: unknown;
  after?: unknown;
};
export type AuditView = {
  id: string;
  actorId: number;
  action: AuditAction;
  subject: string | null;
  before: unknown;
  after: unknown;
  at: string;
};

/** Who did what, when, and what it changed: every operator action is written here before it is answered. */
export async function audit(db: Db | Tx, record: AuditRecord): Promise<string> {
  const entry = await db.auditEntry.create({
    data: {
      actorId: BigInt(record.actorId),
      action: record.action,
      subject: record.subject ?? null,
      before: record.before === undefined ? undefined : (record.before as object),
      after: record.after === undefined ? undefined : (record.after as object),
    },
  });
  return entry.id;
}

/** The newest entries first; `subject` narrows it to one order, line, plan or notice. */
export async function auditLog(
  db: Db,
  options: { subject?: string; take?: number; before?: Date } = {},
): Promise<AuditView[]> {
  const rows = await db.auditEntry.findMany({
    where: {
      ...(options.subject ? { subject: options.subject } : {}),
      ...(options.before ? { createdAt: { lt: options.before } } : {}),
    },
    orderBy: { createdAt: 'desc' },
    take: options.take ?? 50,
  });
  return rows.map((r) => ({
    id: r.id,
    actorId: Number(r.actorId),
    action: r.action as AuditAction,
    subject: r.subject,
    before: r.before,
    after: r.after,
    at: r.createdAt.toISOString(),
  }));
}
