import type { Context } from 'grammy';
import { InlineKeyboard } from 'grammy';
import type { i18n } from 'i18next';
import { maskIdentifier } from '../../domain/line-identifier.js';
import { dateTime } from '../format.js';
import { CB } from '../keyboards.js';
import type { BotServices } from '../services.js';
import { MAX_INPUT_TRIES, nudge, retryableStep, type ConversationArgs, type KuotaConversation } from './shared.js';

const html = { parse_mode: 'HTML' as const };

/** Number (or ICCID) → operator look-up → one-time code → optional label. */
export function linkLineConversation(services: BotServices, i18n: i18n) {
  return async function linkLine(conversation: KuotaConversation, ctx: Context, args: ConversationArgs) {
    const t = i18n.getFixedT(args.language);
    const locale = { t, language: args.language, timezone: args.timezone };
    await ctx.reply(`${t('link.ask_number')}\n\n${t('common.cancel_hint')}`, html);

    // A wrong input is answered, then the step starts again without it (retryableStep).
    const numberStep = await retryableStep(conversation, ctx.chat?.id);
    if (numberStep.tries >= MAX_INPUT_TRIES) return ctx.reply(t('common.too_many_tries'), html);
    const typedNumber = await conversation.waitFor('message:text', { otherwise: nudge(t, 'text') });
    const result = await conversation.external(() => services.lines.startLink(args.userId, typedNumber.message.text));
    if (!result.ok) {
      if ('until' in result) {
        // A cooldown passes in a minute: the traveller may send the number again then, in this same step.
        if (result.reason !== 'cooldown')
          return ctx.reply(t(`link.${result.reason}`, { until: dateTime(locale, result.until) }), html);
        await ctx.reply(t('link.cooldown', { count: result.waitSeconds }), html);
        return numberStep.retry();
      }
      const reason = result.reason;
      if (reason === 'already_linked') return ctx.reply(t('link.already_linked'), html);
      if (reason === 'too_many_lines') return ctx.reply(t('link.too_many_lines', { count: 10 }), html);
      const key = reason === 'unknown_line' || reason === 'provider_down' ? `link.${reason}` : `link.invalid.${reason}`;
      await ctx.reply(t(key), html);
      return numberStep.retry();
    }
    const started = result;

    const masked = maskIdentifier(started.line.identifier);
    await ctx.reply(t('link.code_sent', { line: masked }), html);
    const codeStep = await retryableStep(conversation, ctx.chat?.id);
    if (codeStep.tries >= MAX_INPUT_TRIES + 2) return ctx.reply(t('common.too_many_tries'), html);
    const typedCode = await conversation.waitFor('message:text', { otherwise: nudge(t, 'text') });
    const confirmed = await conversation.external(() =>
      services.lines.confirmCode(args.userId, started.line, typedCode.message.text),
    );
    if (!confirmed.ok) {
      if (confirmed.reason === 'locked')
        return ctx.reply(t('link.locked', { until: dateTime(locale, confirmed.until) }), html);
      if (confirmed.reason === 'expired')
        return ctx.reply(t('link.code_expired'), {
          ...html,
          reply_markup: new InlineKeyboard().text(t('menu.link'), CB.menu('link')),
        });
      if (confirmed.reason === 'wrong_code')
        await ctx.reply(t('link.wrong_code', { count: confirmed.triesLeft }), html);
      else await ctx.reply(t(confirmed.reason === 'provider_down' ? 'link.provider_down' : 'link.not_a_code'), html);
      return codeStep.retry();
    }
    const lineId = confirmed.lineId;

    await ctx.reply(t('link.ask_label'), {
      ...html,
      reply_markup: new InlineKeyboard().text(t('common.skip'), CB.skipLabel),
    });
    const labelled = await conversation.wait();
    const typed = labelled.message?.text ?? null;
    if (labelled.callbackQuery) await labelled.answerCallbackQuery();
    // Echo what was kept (cleaned, cut to the label's length), never the raw text.
    const label = typed ? await conversation.external(() => services.lines.setLabel(args.userId, lineId, typed)) : null;
    const name = label ? `${label} (${masked})` : masked;
    const keyboard = new InlineKeyboard()
      .text(t('link.renew_now'), CB.renewLine(lineId))
      .row()
      .text(t('common.main_menu'), CB.menu('home'));
    await ctx.reply(t('link.linked', { line: name }), { ...html, reply_markup: keyboard });
  };
}
