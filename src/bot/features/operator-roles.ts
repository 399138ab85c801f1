import type { Composer } from 'grammy';
import type { Permission } from '../../domain/operator-role.js';
import type { Operators } from '../../services/operators.js';
import type { KuotaContext } from '../context.js';
import { say } from '../reply.js';

/** The part of a feature only operators (owners and support) reach; anyone else falls through. */
export function operatorsOnly(feature: Composer<KuotaContext>, operators: Operators) {
  return feature.filter(async (ctx) => (await operators.roleOf(ctx.from?.id ?? 0)) !== null);
}

/**
 * The same role check as the console's: true (and the operator told why) when their role does not
 * allow `permission`, so the command stops there.
 */
export async function refusedForRole(ctx: KuotaContext, operators: Operators, permission: Permission) {
  if (await operators.allows(ctx.from?.id ?? 0, permission)) return false;
  await say(ctx, ctx.locale.t('operator.not_allowed'));
  return true;
}
