import { Composer, InlineKeyboard } from 'grammy';
import type { KuotaContext } from '../context.js';
import { dateTime, lineName } from '../format.js';
import { onTap } from '../on-tap.js';
import { CB, plain } from '../keyboards.js';
import { autoRenewScreen, cardLinkMessage, spendingText } from './messages.js';
import { replaceOrSay, say } from '../reply.js';
import type { BotServices } from '../services.js';

/** The auto-renew screen of a line, as a new message (typed words) or in place of the tapped one. */
export async function showAutoRenew(
  ctx: KuotaContext,
  services: BotServices,
  line: { id: string; label: string | null; identifier: string },
  edit: boolean,
) {
  const starsOffer = await services.stars.subscriptionPrice(ctx.user.id, line.id);
  const screen = autoRenewScreen(
    ctx.locale,
    lineName(line),
    line.id,
    await services.autoRenew.view(ctx.user.id, line.id),
    services.autoRenew.leadHours,
    starsOffer,
  );
  await (edit ? replaceOrSay : say)(ctx, screen.text, screen.keyboard);
}

/** My numbers → Auto-renew: the line's settings, its card, pause, switch off, and what it spent. */
export function autoRenewFeature(
  services: BotServices,
  enterSetup: (ctx: KuotaContext, lineId: string) => Promise<unknown>,
) {
  const feature = new Composer<KuotaContext>();
  const { autoRenew } = services;

  async function lineOr(ctx: KuotaContext, lineId: string) {
    const line = await services.lines.get(ctx.user.id, lineId);
    if (!line) await ctx.answerCallbackQuery({ text: ctx.locale.t('lines.gone'), show_alert: true });
    return line;
  }

  async function show(ctx: KuotaContext, lineId: string) {
    const line = await lineOr(ctx, lineId);
    if (!line) return;
    await ctx.answerCallbackQuery();
    await showAutoRenew(ctx, services, line, true);
  }

  async function setup(ctx: KuotaContext, lineId: string) {
    const line = await lineOr(ctx, lineId);
    if (!line) return;
    await ctx.answerCallbackQuery();
    await enterSetup(ctx, line.id);
  }

  async function card(ctx: KuotaContext, lineId: string) {
    const { t } = ctx.locale;
    const result = await autoRenew.cardLink(ctx.user.id, lineId, ctx.locale.language);
    if (!result.ok)
      return ctx.answerCallbackQuery({
        text: t(result.reason === 'not_found' ? 'autorenew.gone' : 'autorenew.unavailable'),
        show_alert: true,
      });
    await ctx.answerCallbackQuery();
    const message = cardLinkMessage(ctx.locale, result.url, dateTime(ctx.locale, result.expiresAt));
    await replaceOrSay(ctx, message.text, message.keyboard.row().text(t('autorenew.back'), CB.menu('numbers')));
  }

  const changeState = (to: 'paused' | 'active', key: string) => async (ctx: KuotaContext, lineId: string) => {
    const line = await lineOr(ctx, lineId);
    if (!line) return;
    const changed = await autoRenew.setState(ctx.user.id, line.id, to);
    if (!changed) return ctx.answerCallbackQuery({ text: ctx.locale.t('common.stale_button'), show_alert: true });
    await ctx.answerCallbackQuery(plain(ctx.locale.t)(key, { name: lineName(line) }));
    await show(ctx, line.id);
  };

  async function askOff(ctx: KuotaContext, lineId: string) {
    const { t } = ctx.locale;
    const line = await lineOr(ctx, lineId);
    if (!line) return;
    await ctx.answerCallbackQuery();
    const keyboard = new InlineKeyboard()
      .text(t('autorenew.off_yes'), CB.autoRenew('off!', line.id))
      .text(t('autorenew.off_no'), CB.autoRenew('open', line.id));
    await replaceOrSay(ctx, t('autorenew.off_confirm', { name: lineName(line) }), keyboard);
  }

  async function switchOff(ctx: KuotaContext, lineId: string) {
    const { t } = ctx.locale;
    const line = await lineOr(ctx, lineId);
    if (!line) return;
    if (!(await autoRenew.switchOff(ctx.user.id, line.id)))
      return ctx.answerCallbackQuery({ text: t('autorenew.gone'), show_alert: true });
    await ctx.answerCallbackQuery();
    await replaceOrSay(
      ctx,
      t('autorenew.off_done', { name: lineName(line) }),
      new InlineKeyboard().text(t('autorenew.back'), CB.menu('numbers')),
    );
  }

  const actions = {
    open: show,
    setup,
    card,
    pause: changeState('paused', 'autorenew.paused'),
    resume: changeState('active', 'autorenew.resumed'),
    off: askOff,
    'off!': switchOff,
  };
  feature.use(onTap('autoRenew', (ctx, action, lineId) => actions[action](ctx, lineId)));

  feature.callbackQuery(CB.autoRenewSpending, async (ctx) => {
    const { t } = ctx.locale;
    await ctx.answerCallbackQuery();
    const text = spendingText(ctx.locale, await autoRenew.monthlySpend(ctx.user.id)) ?? t('autorenew.spending_none');
    await replaceOrSay(ctx, text, new InlineKeyboard().text(t('autorenew.back'), CB.menu('numbers')));
  });

  return feature;
}
