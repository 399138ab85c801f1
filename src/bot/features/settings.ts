import { Composer, InlineKeyboard } from 'grammy';
import type { KuotaContext } from '../context.js';
import { formatTime } from '../../domain/expiry.js';
import { clockRange, type Locale } from '../format.js';
import { onTap } from '../on-tap.js';
import { CB } from '../keyboards.js';
import { replaceOrSay, say } from '../reply.js';
import type { BotServices } from '../services.js';

/** The timezones travellers here use most; any IANA zone is stored, these are the ones offered. */
export const TIMEZONES = [
  'Asia/Jakarta',
  'Asia/Makassar',
  'Asia/Jayapura',
  'Asia/Singapore',
  'Asia/Kuala_Lumpur',
  'Asia/Bangkok',
  'Asia/Ho_Chi_Minh',
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Australia/Sydney',
  'Europe/Moscow',
  'Europe/London',
  'UTC',
];
const QUIET_PRESETS: Array<[number, number]> = [
  [22, 8],
  [23, 7],
  [21, 9],
  [0, 0],
];

/** Timezone, quiet hours, and which alerts a traveller wants. */
export function settingsFeature(services: BotServices, now: () => Date) {
  const feature = new Composer<KuotaContext>();

  const show = async (ctx: KuotaContext, edit: boolean) => {
    const { t } = ctx.locale;
    const u = ctx.user;
    const onOff = (on: boolean) => t(on ? 'settings.on' : 'settings.off');
    const quiet = quietHours(ctx.locale, u.quietStart, u.quietEnd);
    const localNow = formatTime(now(), ctx.locale.language, u.timezone);
    const text = t('settings.title', {
      timezone: u.timezone,
      time: localNow,
      quiet,
      expiry: onOff(u.alertExpiry),
      notices: onOff(u.alertNotices),
    });
    const keyboard = new InlineKeyboard()
      .text(t('settings.timezone'), CB.setting('tz'))
      .text(t('settings.quiet'), CB.setting('qh'))
      .row()
      .text(t('settings.toggle_expiry', { state: onOff(u.alertExpiry) }), CB.setting('exp'))
      .row()
      .text(t('settings.toggle_notices', { state: onOff(u.alertNotices) }), CB.setting('ntc'))
      .row()
      .text(t('settings.toggle_lowdata', { state: onOff(u.alertLowData) }), CB.setting('low'))
      .row()
      .text(t('common.main_menu'), CB.menu('home'));
    return (edit ? replaceOrSay : say)(ctx, text, keyboard);
  };

  const update = async (ctx: KuotaContext, settings: Parameters<BotServices['users']['updateSettings']>[1]) => {
    ctx.user = await services.users.updateSettings(ctx.user.id, settings);
    ctx.locale = { ...ctx.locale, timezone: ctx.user.timezone };
    await ctx.answerCallbackQuery(ctx.locale.t('settings.saved'));
    await show(ctx, true);
  };

  feature.command('settings', (ctx) => show(ctx, false));
  feature.callbackQuery(CB.menu('settings'), async (ctx) => {
    await ctx.answerCallbackQuery();
    await show(ctx, true);
  });
  feature.callbackQuery(CB.setting('tz'), async (ctx) => {
    await ctx.answerCallbackQuery();
    const keyboard = new InlineKeyboard();
    TIMEZONES.forEach((zone, i) => {
      keyboard.text(zone.replace(/^\w+\//, '').replace(/_/g, ' '), CB.settingZone(i));
      if (i % 3 === 2) keyboard.row();
    });
    await replaceOrSay(ctx, ctx.locale.t('settings.pick_timezone'), keyboard);
  });
  feature.use(
    onTap('settingZone', async (ctx, index) => {
      const zone = TIMEZONES[index];
      if (!zone) return ctx.answerCallbackQuery(ctx.locale.t('common.stale_button'));
      await update(ctx, { timezone: zone });
    }),
  );
  feature.callbackQuery(CB.setting('qh'), async (ctx) => {
    await ctx.answerCallbackQuery();
    const keyboard = new InlineKeyboard();
    for (const [start, end] of QUIET_PRESETS) {
      keyboard.text(quietChoice(ctx.locale, start, end), CB.settingQuiet(start, end)).row();
    }
    await replaceOrSay(ctx, ctx.locale.t('settings.pick_quiet'), keyboard);
  });
  feature.use(
    onTap('settingQuiet', async (ctx, start, end) => {
      if (start > 23 || end > 23) return ctx.answerCallbackQuery(ctx.locale.t('common.stale_button'));
      await update(ctx, { quietStart: start, quietEnd: end });
    }),
  );
  feature.callbackQuery(CB.setting('exp'), (ctx) => update(ctx, { alertExpiry: !ctx.user.alertExpiry }));
  feature.callbackQuery(CB.setting('ntc'), (ctx) => update(ctx, { alertNotices: !ctx.user.alertNotices }));
  feature.callbackQuery(CB.setting('low'), (ctx) => update(ctx, { alertLowData: !ctx.user.alertLowData }));
  return feature;
}

/** Quiet hours as a value in the settings text ("Quiet hours: off"). */
const quietHours = (l: Locale, start: number, end: number) =>
  start === end ? l.t('settings.quiet_off') : clockRange(l, [start, 0], [end, 0]);

/** The same hours as a button in the picker, whose "off" choice is worded as a button (vi "Tắt không làm phiền"). */
const quietChoice = (l: Locale, start: number, end: number) =>
  start === end ? l.t('settings.pick_quiet_off') : clockRange(l, [start, 0], [end, 0]);
