import { Composer, InlineKeyboard } from 'grammy';
import type { KuotaContext } from '../context.js';
import { expiry, lineName } from '../format.js';
import { backToMenu, CB, plain } from '../keyboards.js';
import { dataLeftWithTime } from '../messages/usage.js';
import { replaceOrSay, say } from '../reply.js';
import type { BotServices } from '../services.js';

/** "My numbers": each line with its carrier, plan and expiry, and Renew / Unlink. */
export async function showLines(ctx: KuotaContext, services: BotServices, now: () => Date, edit = false) {
    const { t } = ctx.locale;
    const lines = await services.lines.list(ctx.user.id);
    const keyboard = new InlineKeyboard();
    if (!lines.length) {
      keyboard.text(t('menu.link'), CB.menu('link')).row().text(t('common.main_menu'), CB.menu('home'));
      return (edit ? replaceOrSay : say)(ctx, t('lines.empty'), keyboard);
    }
    const blocks = await Promise.all(lines.map(async (line) => {
      const plan = line.planCode ? await services.catalog.byCode(line.planCode) : null;
      const autoRenew = await services.autoRenew.view(ctx.user.id, line.id);
      const item = t('lines.item', {
        name: lineName(line),
        carrier: t(`carrier.${line.carrier}`, { defaultValue: line.carrier }),
        plan: plan ? (plan.names[ctx.locale.language] ?? plan.names.en ?? plan.code) : t('lines.no_plan'),
        expiry: expiry(ctx.locale, line.expiresAt, now()),
      });
      // Data left where the provider reports it, refreshed at most every few minutes.
      const usage = dataLeftWithTime(ctx.locale, await services.usage.current(line.id));
      const withUsage = usage ? `${item}\n${usage}` : item;
      return autoRenew && autoRenew.state !== 'off' ? `${withUsage}\n${t('autorenew.line_status', { state: t(`autorenew.state.${autoRenew.state}`) })}` : withUsage;
    }));
    for (const line of lines) {
      const name = line.label ?? line.identifier.slice(-4);
      const button = plain(t);
      keyboard.text(button('lines.renew', { name }), CB.renewLine(line.id)).text(button('lines.unlink', { name }), CB.unlinkAsk(line.id)).row();
      keyboard.text(button('autorenew.button', { name }), CB.autoRenew('open', line.id)).row();
    }
    keyboard.text(t('menu.link'), CB.menu('link')).text(t('common.main_menu'), CB.menu('home'));
    return (edit ? replaceOrSay : say)(ctx, `${t('lines.title')}\n\n${blocks.join('\n\n')}`, keyboard);
}

export function linesFeature(services: BotServices, now: () => Date) {
  const feature = new Composer<KuotaContext>();
  const show = (ctx: KuotaContext, edit: boolean) => showLines(ctx, services, now, edit);

  feature.command('numbers', (ctx) => show(ctx, false));
  feature.callbackQuery(CB.menu('numbers'), async (ctx) => {
    await ctx.answerCallbackQuery();
    await show(ctx, true);
  });

  feature.callbackQuery(/^ln:unlink:(.+)$/, async (ctx) => {
    const { t } = ctx.locale;
    const line = await services.lines.get(ctx.user.id, ctx.match[1]!);
    if (!line) return ctx.answerCallbackQuery({ text: t('lines.gone'), show_alert: true });
    await ctx.answerCallbackQuery();
    const keyboard = new InlineKeyboard().text(t('lines.unlink_yes'), CB.unlinkYes(line.id)).text(t('lines.unlink_no'), CB.menu('numbers'));
    await replaceOrSay(ctx, t('lines.unlink_confirm', { name: lineName(line) }), keyboard);
  });

  feature.callbackQuery(/^ln:unlink!:(.+)$/, async (ctx) => {
    const { t } = ctx.locale;
    const line = await services.lines.get(ctx.user.id, ctx.match[1]!);
    if (!line || !(await services.lines.unlink(ctx.user.id, line.id))) return ctx.answerCallbackQuery({ text: t('lines.gone'), show_alert: true });
    // An unlinked line is never charged again, and its saved card is not kept.
    await services.autoRenew.switchOff(ctx.user.id, line.id);
    await ctx.answerCallbackQuery();
    await replaceOrSay(ctx, t('lines.unlinked', { name: lineName(line) }), backToMenu(t));
  });

  return feature;
}
