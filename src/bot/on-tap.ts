import { Composer, type Filter } from 'grammy';
import { BUTTONS, type ButtonName, type ValuesOf } from './callback-data.js';
import type { KuotaContext } from './context.js';

/** Answers taps on one button with its parsed values; other data passes on (in the end, to "this button is out of date"). */
export function onTap<K extends ButtonName>(
  name: K,
  handler: (ctx: Filter<KuotaContext, 'callback_query:data'>, ...values: ValuesOf<K>) => unknown,
): Composer<KuotaContext> {
  const composer = new Composer<KuotaContext>();
  composer.on('callback_query:data', async (ctx, next) => {
    const values = BUTTONS[name].parse(ctx.callbackQuery.data) as ValuesOf<K> | undefined;
    if (values === undefined) return next();
    await handler(ctx, ...values);
  });
  return composer;
}
