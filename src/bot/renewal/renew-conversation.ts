import type { Context } from 'grammy';
import { InlineKeyboard } from 'grammy';
import type { i18n } from 'i18next';
import { groupByKind } from '../../domain/plan.js';
import { lineName, planButton, planLabel } from '../format.js';
import { orderSummaryMessage } from './order-summary.js';
import { starsInvoiceTexts } from '../stars/messages.js';
import { CB } from '../keyboards.js';
import type { BotServices } from '../services.js';
import type { LineView } from '../../services/lines.js';
import { waitForTap, type ConversationArgs, type KuotaConversation } from '../conversations/shared.js';

const html = { parse_mode: 'HTML' as const };

/** Line → plan → order summary. Paying is a separate button (checkout.ts), so a stale summary still works. */
export function renewConversation(services: BotServices, i18n: i18n) {
  return async function renew(
    conversation: KuotaConversation,
    ctx: Context,
    args: ConversationArgs & { lineId?: string },
  ) {
    const t = i18n.getFixedT(args.language);
    const locale = { t, language: args.language, timezone: args.timezone };

    let lineId = args.lineId;
    let known: LineView | undefined;
    if (!lineId) {
      const lines = await conversation.external(() => services.lines.list(args.userId));
      if (!lines.length) {
        return ctx.reply(t('renew.no_lines'), {
          ...html,
          reply_markup: new InlineKeyboard().text(t('menu.link'), CB.menu('link')),
        });
      }
      if (lines.length === 1) {
        known = lines[0]!;
        lineId = known.id;
      } else {
        const keyboard = new InlineKeyboard();
        for (const line of lines) keyboard.text(lineName(line), CB.pickLine(line.id)).row();
        await ctx.reply(t('renew.pick_line'), { ...html, reply_markup: keyboard });
        [lineId] = (await waitForTap(conversation, t, 'pickLine')).values;
      }
    }

    const id = lineId;
    // The one line just listed is not read again; a picked or given one is (it may have been unlinked since).
    const line = known ?? (await conversation.external(() => services.lines.get(args.userId, id)));
    if (!line) return ctx.reply(t('lines.gone'), html);
    const carrier = t(`carrier.${line.carrier}`, { defaultValue: line.carrier });
    const plans = await conversation.external(() => services.orders.plansFor(args.userId, id, line));
    if (!plans.length) return ctx.reply(t('renew.no_plans', { carrier }), html);

    // Grouped daily / weekly / monthly in the text; one button per plan, in the same order.
    const keyboard = new InlineKeyboard();
    const sections: string[] = [];
    for (const group of groupByKind(plans)) {
      sections.push(
        `<b>${t(`plan.kind.${group.kind}`)}</b>\n${group.plans.map((p) => `• ${planLabel(locale, p)}`).join('\n')}`,
      );
      for (const plan of group.plans) keyboard.text(planButton(locale, plan), CB.pickPlan(plan.code)).row();
    }
    await ctx.reply(`${t('renew.pick_plan', { line: lineName(line), carrier })}\n\n${sections.join('\n\n')}`, {
      ...html,
      reply_markup: keyboard,
    });
    const [code] = (await waitForTap(conversation, t, 'pickPlan')).values;

    const now = await conversation.now();
    const summary = await conversation.external(() => services.orders.draft(args.userId, id, code));
    if ('error' in summary)
      return ctx.reply(t(summary.error === 'plan_unavailable' ? 'renew.plan_unavailable' : 'lines.gone'), html);

    const stars = await conversation.external(() =>
      services.stars.offer(args.userId, summary.orderId, starsInvoiceTexts(locale, summary)),
    );
    const { text, keyboard: pay } = orderSummaryMessage(locale, summary, new Date(now), {
      offer: stars,
      only: services.stars.only,
    });
    const shown = await ctx.reply(text, { ...html, reply_markup: pay });
    await conversation.external(() =>
      services.orders.rememberSummary(args.userId, summary.orderId, shown.chat.id, shown.message_id),
    );
  };
}
