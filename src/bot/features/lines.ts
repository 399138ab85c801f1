import { Composer, InlineKeyboard } from 'grammy';
import { onTap } from '../on-tap.js';
import type { KuotaContext } from '../context.js';
import { planName } from '../../domain/plan.js';
import { expiry, lineName } from '../format.js';
import { backToMenu, CB } from '../keyboards.js';
import { dataLeftWithTime } from '../usage/messages.js';
import { replaceOrSay, say } from '../reply.js';
import type { BotServices } from '../services.js';
import { fitWidth } from '../text-width.js';

type Line = Awaited<ReturnType<BotServices['lines']['list']>>[number];

// A line's button names it by its label or last digits, cut to fit two to a row on a phone.
const BUTTON_NAME_WIDTH = 14;

/** One line's plan, expiry and auto-renew state, as My numbers shows it. */
async function describeLine(ctx: KuotaContext, services: BotServices, line: Line, now: Date): Promise<string> {
  const { t } = ctx.locale;
  const plan = line.planCode ? await services.catalog.byCode(line.planCode) : null;
  const autoRenew = await services.autoRenew.view(ctx.user.id, line.id);
  const item = t('lines.item', {
    name: lineName(line),
    carrier: t(`carrier.${line.carrier}`, { defaultValue: line.carrier }),
    plan: plan ? planName(plan, ctx.locale.language) : t('lines.no_plan'),
    expiry: expiry(ctx.locale, line.expiresAt, now),
  });
  // Data left where the provider reports it, refreshed at most every few minutes.
  const usage = dataLeftWithTime(ctx.locale, await services.usage.current(line.id, line.kind));
  const withUsage = usage ? `${item}\n${usage}` : item;
  return autoRenew && autoRenew.state !== 'off'
    ? `${withUsage}\n${t('autorenew.line_status', { state: t(`autorenew.state.${autoRenew.state}`) })}`
    : withUsage;
}

/** Renew, auto-renew and unlink for the one line the message is about: the text names it, so the buttons need not. */
function lineActions(keyboard: InlineKeyboard, t: KuotaContext['locale']['t'], lineId: string): InlineKeyboard {
  // One action a row: names such as "Pembaharuan automatik" fill half a phone's width, and Unlink stays apart from Renew.
  return keyboard
    .text(t('lines.renew'), CB.renewLine(lineId))
    .row()
    .text(t('autorenew.button'), CB.autoRenew('open', lineId))
    .row()
    .text(t('lines.unlink'), CB.unlinkAsk(lineId));
}

/** "My numbers": each line with its carrier, plan and expiry; with one line its actions, with several a button per line. */
export async function showLines(ctx: KuotaContext, services: BotServices, now: () => Date, edit = false) {
  const { t } = ctx.locale;
  const lines = await services.lines.list(ctx.user.id);
  const keyboard = new InlineKeyboard();
  if (!lines.length) {
    keyboard.text(t('menu.link'), CB.menu('link')).row().text(t('common.main_menu'), CB.menu('home'));
    return (edit ? replaceOrSay : say)(ctx, t('lines.empty'), keyboard);
  }
  const blocks = await Promise.all(lines.map((line) => describeLine(ctx, services, line, now())));
  if (lines.length === 1) {
    lineActions(keyboard, t, lines[0]!.id)
      .text(t('menu.link'), CB.menu('link'))
      .row()
      .text(t('common.main_menu'), CB.menu('home'));
    return (edit ? replaceOrSay : say)(ctx, `${t('lines.title')}\n\n${blocks[0]}`, keyboard);
  }
  lines.forEach((line, i) => {
    keyboard.text(
      `${i + 1}. ${fitWidth(line.label ?? `•••• ${line.identifier.slice(-4)}`, BUTTON_NAME_WIDTH)}`,
      CB.openLine(line.id),
    );
    if (i % 2 === 1) keyboard.row();
  });
  keyboard.row().text(t('menu.link'), CB.menu('link')).text(t('common.main_menu'), CB.menu('home'));
  const numbered = blocks.map((block, i) => `${i + 1}. ${block}`);
  return (edit ? replaceOrSay : say)(
    ctx,
    `${t('lines.title')}\n\n${numbered.join('\n\n')}\n\n${t('lines.pick')}`,
    keyboard,
  );
}

export function linesFeature(services: BotServices, now: () => Date) {
  const feature = new Composer<KuotaContext>();
  const show = (ctx: KuotaContext, edit: boolean) => showLines(ctx, services, now, edit);

  feature.command('numbers', (ctx) => show(ctx, false));
  feature.callbackQuery(CB.menu('numbers'), async (ctx) => {
    await ctx.answerCallbackQuery();
    await show(ctx, true);
  });

  // One line of several: what My numbers says about it, and its actions.
  feature.use(
    onTap('openLine', async (ctx, lineId) => {
      const { t } = ctx.locale;
      const line = await services.lines.get(ctx.user.id, lineId);
      if (!line) return ctx.answerCallbackQuery({ text: t('lines.gone'), show_alert: true });
      await ctx.answerCallbackQuery();
      const keyboard = lineActions(new InlineKeyboard(), t, line.id).text(t('autorenew.back'), CB.menu('numbers'));
      await replaceOrSay(ctx, await describeLine(ctx, services, line, now()), keyboard);
    }),
  );

  feature.use(
    onTap('unlinkAsk', async (ctx, lineId) => {
      const { t } = ctx.locale;
      const line = await services.lines.get(ctx.user.id, lineId);
      if (!line) return ctx.answerCallbackQuery({ text: t('lines.gone'), show_alert: true });
      await ctx.answerCallbackQuery();
      const keyboard = new InlineKeyboard()
        .text(t('lines.unlink_yes'), CB.unlinkYes(line.id))
        .text(t('lines.unlink_no'), CB.menu('numbers'));
      await replaceOrSay(ctx, t('lines.unlink_confirm', { name: lineName(line) }), keyboard);
    }),
  );

  feature.use(
    onTap('unlinkYes', async (ctx, lineId) => {
      const { t } = ctx.locale;
      const line = await services.lines.get(ctx.user.id, lineId);
      if (!line || !(await services.lines.unlink(ctx.user.id, line.id)))
        return ctx.answerCallbackQuery({ text: t('lines.gone'), show_alert: true });
      // An unlinked line is never charged again, and its saved card is not kept.
      await services.autoRenew.switchOff(ctx.user.id, line.id);
      await ctx.answerCallbackQuery();
      await replaceOrSay(ctx, t('lines.unlinked', { name: lineName(line) }), backToMenu(t));
    }),
  );

  return feature;
}
