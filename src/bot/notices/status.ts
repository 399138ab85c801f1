import { Composer } from 'grammy';
import type { KuotaContext } from '../context.js';
import { say } from '../reply.js';
import type { BotServices } from '../services.js';
import { operatorsOnly, refusedForRole } from '../features/operator-roles.js';

/** Owners only: /notice starts a notice, /notice status shows how delivery is going. */
export function operatorFeature(services: BotServices, enterNotice: (ctx: KuotaContext) => Promise<unknown>) {
  const feature = new Composer<KuotaContext>();
  const { operators } = services.operator;
  operatorsOnly(feature, operators).command('notice', async (ctx) => {
    if (await refusedForRole(ctx, operators, 'notices')) return;
    if (ctx.match.trim().toLowerCase() !== 'status') return enterNotice(ctx);
    const { t } = ctx.locale;
    const status = await services.notices.status();
    if (!status) return say(ctx, t('admin.no_notices'));
    const minutes = Math.floor(status.secondsLeft / 60);
    await say(
      ctx,
      t('admin.status', {
        recipients: status.recipients,
        sent: status.sent,
        pending: status.pending,
        failed: status.failed,
        unreachable: status.unreachable,
        left: status.pending ? t('admin.time_left', { minutes, seconds: status.secondsLeft % 60 }) : t('admin.done'),
      }),
    );
  });
  return feature;
}
