import { Composer, InlineKeyboard } from 'grammy';
import { maskIdentifier } from '../../domain/line-identifier.js';
import type { KuotaContext } from '../context.js';
import { replyToClaim } from '../conversations/link-line.js';
import { CB } from '../keyboards.js';
import type { BotServices } from '../services.js';

/** /start c_<code>: the QR code on a shop's receipt links the eSIM it was issued for, in one tap. */
export function claimLinkFeature(services: BotServices) {
  const feature = new Composer<KuotaContext>();
  feature.command('start', async (ctx, next) => {
    if (!/^c_[A-Za-z0-9]{10}$/.test(ctx.match.trim())) return next();
    const { t } = ctx.locale;
    const claim = await services.esim.claimCodes.claim(ctx.user.id, ctx.match.trim());
    if (!claim.ok) {
      await replyToClaim(ctx, t, ctx.locale, claim);
      return;
    }
    const keyboard = new InlineKeyboard()
      .text(t('link.renew_now'), CB.renewLine(claim.lineId))
      .row()
      .text(t('common.main_menu'), CB.menu('home'));
    await ctx.reply(t('link.linked', { line: maskIdentifier(claim.iccid) }), {
      parse_mode: 'HTML',
      reply_markup: keyboard,
    });
  });
  return feature;
}
