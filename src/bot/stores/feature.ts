import { Composer, InlineKeyboard, Keyboard } from 'grammy';
import { onTap } from '../on-tap.js';
import { hoursToday, isOpen } from '../../domain/stores.js';
import { NEARBY_KM, type StoreView } from '../../services/stores/stores.js';
import type { KuotaContext } from '../context.js';
import { clockRange, list as listOf } from '../format.js';
import { CB } from '../keyboards.js';
import { say } from '../reply.js';
import type { BotServices } from '../services.js';

/**
 * /stores: the traveller shares a location (or picks a city) and gets the nearest partner stores
 * with distance, address, today's hours and whether they are open now; the chosen one as a venue.
 */
export async function askForLocation(ctx: KuotaContext, services: BotServices) {
  const { t } = ctx.locale;
  const cities = await services.stores.cities();
  if (!cities.length) return say(ctx, t('stores.none'));
  await ctx.reply(t('stores.ask'), {
    reply_markup: new Keyboard().requestLocation(t('stores.share_location')).resized().oneTime(),
  });
  await say(ctx, t('stores.or_city'), cityKeyboard(cities));
}

function cityKeyboard(cities: string[]): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  cities.forEach((city, i) => {
    keyboard.text(city, CB.city(city));
    if (i % 3 === 2) keyboard.row();
  });
  return keyboard;
}

export function storesFeature(services: BotServices, now: () => Date) {
  const feature = new Composer<KuotaContext>();
  const ask = (ctx: KuotaContext) => askForLocation(ctx, services);

  const describe = (ctx: KuotaContext, store: StoreView) => {
    const { t } = ctx.locale;
    const at = now();
    const today = hoursToday(store.hours, store.timezone, at);
    const distance =
      store.distanceKm === undefined
        ? ''
        : ` · ${new Intl.NumberFormat(ctx.locale.language, { style: 'unit', unit: 'kilometer', maximumFractionDigits: store.distanceKm < 10 ? 1 : 0 }).format(store.distanceKm)}`;
    return t('stores.item', {
      name: store.name,
      distance,
      address: store.address,
      status: t(isOpen(store.hours, store.timezone, at) ? 'stores.open' : 'stores.closed'),
      hours: today ? clockRange(ctx.locale, clock(today[0]), clock(today[1])) : t('stores.closed_today'),
      sells: listOf(
        ctx.locale,
        store.sells.map((s) => t(`stores.sells_${s}`)),
      ),
      carriers: listOf(
        ctx.locale,
        store.carriers.map((c) => t(`carrier.${c}`)),
      ),
    });
  };

  const list = async (ctx: KuotaContext, stores: StoreView[]) => {
    const { t } = ctx.locale;
    if (!stores.length) return say(ctx, t('stores.none_near'));
    const keyboard = new InlineKeyboard();
    stores.forEach((s) => keyboard.text(`📍 ${s.name}`, CB.store(s.id)).row());
    await say(ctx, `${t('stores.found')}\n\n${stores.map((s) => describe(ctx, s)).join('\n\n')}`, keyboard);
  };

  feature.command('stores', ask);
  feature.callbackQuery(CB.menu('stores'), async (ctx) => {
    await ctx.answerCallbackQuery();
    await ask(ctx);
  });
  feature.on('message:location', async (ctx) => {
    const { latitude, longitude } = ctx.message.location;
    await ctx.reply(ctx.locale.t('stores.searching'), { reply_markup: { remove_keyboard: true } });
    const near = await services.stores.near({ lat: latitude, lng: longitude });
    if (near.length) return list(ctx, near);
    // Nothing within a sensible distance: say so plainly, and offer the cities instead.
    const distance = new Intl.NumberFormat(ctx.locale.language, {
      style: 'unit',
      unit: 'kilometer',
      maximumFractionDigits: 0,
    }).format(NEARBY_KM);
    await say(ctx, ctx.locale.t('stores.none_within', { distance }), cityKeyboard(await services.stores.cities()));
  });
  feature.use(
    onTap('city', async (ctx, city) => {
      await ctx.answerCallbackQuery();
      await list(ctx, await services.stores.inCity(city));
    }),
  );
  feature.use(
    onTap('store', async (ctx, storeId) => {
      const { t } = ctx.locale;
      const store = await services.stores.get(storeId);
      if (!store) return ctx.answerCallbackQuery({ text: t('common.stale_button'), show_alert: true });
      await ctx.answerCallbackQuery();
      await ctx.replyWithVenue(store.lat, store.lng, store.name, store.address);
      await say(ctx, t('stores.bring'));
    }),
  );
  return feature;
}

const clock = (hhmm: string) => hhmm.split(':').map(Number) as [number, number];
