import { Composer, InlineKeyboard } from 'grammy';
import { onTap } from '../on-tap.js';
import { claimStartParameter, formatClaimCode } from '../../services/esim-partner/claim-codes.js';
import type { KuotaContext } from '../context.js';
import { dateTime, money } from '../format.js';
import { CB } from '../keyboards.js';
import { say } from '../reply.js';
import type { BotServices } from '../services.js';
import { operatorsOnly, refusedForRole } from '../features/operator-roles.js';

/**
 * Owners only: /claimcode <ICCID> issues a claim code for an eSIM sold in the shop
 * (the code, and the deep link to print as a QR code); /esim shows the partner's balance and the
 * notifications Kuota is opted in to, with buttons to opt in.
 */
export function esimPartnerFeature(services: BotServices) {
  const feature = new Composer<KuotaContext>();
  const { operators } = services.operator;
  // Owners only: the partner's money and codes for stock (a support operator is told so).
  const ops = operatorsOnly(feature, operators).filter(
    async (ctx) => !(await refusedForRole(ctx, operators, 'provider')),
  );
  const { esim } = services;

  ops.command('claimcode', async (ctx) => {
    const { t } = ctx.locale;
    const iccid = ctx.match.trim();
    if (!iccid) return say(ctx, t('operator.claim_usage'));
    const issued = await esim.claimCodes.issue(iccid, String(ctx.from!.id), ctx.from!.id);
    if (!issued.ok) return say(ctx, t(`operator.claim_${issued.reason}`));
    const link = `https://t.me/${ctx.me.username}?start=${claimStartParameter(issued.code)}`;
    await say(
      ctx,
      t('operator.claim_issued', {
        code: formatClaimCode(issued.code),
        link,
        until: dateTime(ctx.locale, issued.expiresAt),
      }),
    );
  });

  const status = async (ctx: KuotaContext) => {
    const { t } = ctx.locale;
    if (!esim.supported) return say(ctx, t('operator.esim_no_partner'));
    const view = await esim.view();
    const lines = [
      t('operator.esim_balance', { balance: view.balance ? money(ctx.locale, view.balance) : '—' }),
      view.optIn
        ? t('operator.esim_opted_in', { type: view.optIn.type, url: view.optIn.contactPoint })
        : t('operator.esim_not_opted_in'),
      ...(view.creditOut ? [t('operator.esim_credit_out')] : []),
    ];
    const keyboard = new InlineKeyboard()
      .text(t('operator.esim_opt_in_low_data'), CB.operatorEsimOptIn('low'))
      .row()
      .text(t('operator.esim_opt_in_credit'), CB.operatorEsimOptIn('credit'));
    return say(ctx, lines.join('\n'), keyboard);
  };
  ops.command('esim', status);

  ops.use(
    onTap('operatorEsimOptIn', async (ctx, kind) => {
      await ctx.answerCallbackQuery();
      const result = await esim.optIn(kind === 'low' ? 'webhook_low_data' : 'webhook_credit_limit');
      const { t } = ctx.locale;
      await say(
        ctx,
        result.ok
          ? t('operator.esim_opt_in_done', { type: result.optIn.type, url: result.optIn.contactPoint })
          : t('operator.esim_opt_in_failed', { reason: result.reason }),
      );
      await status(ctx);
    }),
  );
  return feature;
}
