/**
 * Who may do what in the console and the chat. An owner (ADMIN_IDS) may do everything; support finds
 * orders and travellers, resends receipts and retries top-ups, and nothing that moves money, changes the
 * catalog, speaks to every traveller or takes data away.
 */
export const OPERATOR_ROLES = ['owner', 'support'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

export type Permission =
  | 'refund'
  | 'mark_failed'
  | 'catalog'
  | 'notices'
  | 'exports'
  | 'operators'
  | 'stores'
  | 'provider'
  | 'traveller_actions'
  | 'reports';

const SUPPORT_MAY: ReadonlySet<Permission> = new Set<Permission>([]);

export function may(role: OperatorRole, permission: Permission): boolean {
  return role === 'owner' || SUPPORT_MAY.has(permission);
}
