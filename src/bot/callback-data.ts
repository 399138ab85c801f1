import type { Context } from 'grammy';
import { PAYMENT_METHOD_IDS } from '../domain/payment-methods.js';
import { cutUtf8 } from '../domain/text.js';

/**
 * Every inline button's callback data, in one registry: an entry builds the data and parses it back, and says
 * whether a tap is a menu tap (one that leaves whatever conversation was waiting). Adding a button is one line in
 * `BUTTONS`; `CB.<name>(...)` builds it and `onTap('<name>', ...)` (on-tap.ts) answers it. Data never carries a price: prices
 * come from the catalog.
 */

/** Telegram holds 1–64 bytes of callback data. */
export const CALLBACK_DATA_MAX_BYTES = 64;

/** One value inside callback data: written as text without ':' (except the last field), read back or refused. */
type Field<T> = { encode(value: T): string; decode(text: string): T | undefined };

/** An id the server made (cuid, order id, plan code, store id): kept whole, never cut. */
const id: Field<string> = { encode: (v) => v, decode: (s) => (s ? s : undefined) };
/** Text that may be cut to fit (a city name is found again by its beginning); last field only. */
const text = (maxBytes: number): Field<string> => ({
  encode: (v) => cutUtf8(v, maxBytes),
  decode: (s) => (s ? s : undefined),
});
/** A language code, `en` or `zh-CN`: never a word such as `done`. */
const language: Field<string> = {
  encode: (v) => v,
  decode: (s) => (/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/.test(s) ? s : undefined),
};
const count: Field<number> = { encode: String, decode: (s) => (/^\d{1,12}$/.test(s) ? Number(s) : undefined) };
function oneOf<const V extends readonly string[]>(...values: V): Field<V[number]> {
  return { encode: (v) => v, decode: (s) => values.find((v) => v === s) };
}
/** A low-data threshold in MB, or null for "before expiry". */
const threshold: Field<number | null> = {
  encode: (v) => (v === null ? 'before' : String(v)),
  decode: (s) => (s === 'before' ? null : count.decode(s)),
};

/** Any field, whatever it holds (a field's encode takes its own type only). */
type AnyField = { encode(value: never): string; decode(text: string): unknown };

type Values<F extends readonly AnyField[]> = {
  -readonly [K in keyof F]: F[K] extends Field<infer T> ? T : never;
};

export type Button<A extends unknown[]> = {
  prefix: string;
  /** A menu tap leaves a waiting conversation; a tap a conversation waits for must not be one. */
  menu: boolean;
  build(...values: A): string;
  parse(data: string): A | undefined;
};

function button<const F extends readonly AnyField[]>(
  prefix: string,
  place: 'menu' | 'step',
  ...fields: F
): Button<Values<F>> {
  return {
    prefix,
    menu: place === 'menu',
    build(...values) {
      const data = [prefix, ...fields.map((f, i) => f.encode(values[i] as never))].join(':');
      // Telegram refuses the whole keyboard for one long button: say which, where it is built.
      if (Buffer.byteLength(data) > CALLBACK_DATA_MAX_BYTES) throw new Error(`callback data over 64 bytes: ${data}`);
      return data;
    },
    parse(data) {
      if (data === prefix) return fields.length === 0 ? ([] as unknown as Values<F>) : undefined;
      if (!fields.length || !data.startsWith(`${prefix}:`)) return undefined;
      const parts = data.slice(prefix.length + 1).split(':');
      // The last field takes the rest, so free text (a city) may hold the separator.
      const texts = [...parts.slice(0, fields.length - 1), parts.slice(fields.length - 1).join(':')];
      if (parts.length < fields.length) return undefined;
      const values = fields.map((f, i) => f.decode(texts[i]!));
      return values.some((v) => v === undefined) ? undefined : (values as Values<F>);
    },
  };
}

const MENU_ITEMS = [
  'esim',
  'renew',
  'numbers',
  'history',
  'help',
  'lang',
  'link',
  'home',
  'settings',
  'notices',
  'stores',
] as const;

export const BUTTONS = {
  menu: button('m', 'menu', oneOf(...MENU_ITEMS)),
  city: button('sc', 'menu', text(60)),
  store: button('so', 'menu', id),
  helpTopic: button('hp', 'menu', id),
  renewNow: button('rn', 'menu', id),
  notice: button('nt', 'menu', id),
  setting: button('st', 'menu', oneOf('tz', 'qh', 'exp', 'ntc', 'low')),
  settingZone: button('st:tz', 'menu', count),
  settingQuiet: button('st:qh', 'menu', count, count),
  openLine: button('ln:open', 'menu', id),
  renewLine: button('ln:renew', 'menu', id),
  unlinkAsk: button('ln:unlink', 'menu', id),
  unlinkYes: button('ln:unlink!', 'menu', id),
  // A payment method id (domain/payment-methods.ts); summaries older than the methods sent m (card) or a (second price).
  pay: button('o:pay', 'menu', id, oneOf('m', 'a', ...PAYMENT_METHOD_IDS)),
  moreMethods: button('o:more', 'menu', id),
  cancelOrder: button('o:cancel', 'menu', id),
  receipt: button('o:receipt', 'menu', id),
  language: button('lang', 'menu', language),
  autoRenew: button('ar', 'menu', oneOf('open', 'setup', 'card', 'pause', 'resume', 'off', 'off!'), id),
  autoRenewSpending: button('ar:spending', 'menu'),
  // Operators: an order's Refund / Retry buttons, each confirmed with a second tap (the "!").
  operatorOrder: button('op', 'menu', oneOf('refund', 'refund!', 'retry', 'show'), id),
  operatorEsimOptIn: button('op:esim', 'menu', oneOf('low', 'credit')),
  starsSubscription: button('as', 'step', id),
  // Inside the renew conversation: line, plan.
  pickLine: button('rl', 'step', id),
  pickPlan: button('rp', 'step', id),
  // Buying a new eSIM: "send the install details again" (never a second order), then the conversation's destination, plan, ready.
  esimResend: button('es:again', 'menu', id),
  esimSteps: button('es:steps', 'menu', id),
  // A new eSIM never installed: the traveller's refund, asked and then confirmed.
  esimRefund: button('es:refund', 'menu', oneOf('ask', 'yes'), id),
  esimDestination: button('ed', 'step', id),
  esimPlan: button('ep', 'step', id),
  esimReady: button('ec', 'step', oneOf('yes', 'no')),
  // Inside the link conversation.
  skipLabel: button('lk:skip', 'step'),
  // Inside the auto-renew conversation: plan, budget, trigger, confirm.
  autoRenewPlan: button('arp', 'step', id),
  autoRenewCap: button('arc', 'step', count),
  autoRenewWhen: button('art', 'step', threshold),
  autoRenewConfirm: button('ary', 'step'),
  autoRenewCancel: button('arn', 'step'),
  // Inside the operator's notice conversation: another language, the audience, publish.
  noticeLanguage: button('nl', 'step', language),
  noticeLanguagesDone: button('nl:done', 'step'),
  noticeAudience: button('na', 'step', oneOf('all', 'plans')),
  noticeCarrier: button('na:c', 'step', id),
  noticePublish: button('np', 'step', oneOf('yes', 'no')),
};

export type ButtonName = keyof typeof BUTTONS;
export type ValuesOf<K extends ButtonName> = (typeof BUTTONS)[K] extends Button<infer A> ? A : never;
type Builders = { [K in ButtonName]: ValuesOf<K> extends [] ? string : (...values: ValuesOf<K>) => string };

/** Builds each button's data: `CB.pay(orderId, 'm')`; a button without values is its data (`CB.autoRenewCancel`). */
export const CB = Object.fromEntries(
  Object.entries(BUTTONS).map(([name, b]) => [name, b.parse(b.prefix) ? b.prefix : b.build.bind(b)]),
) as Builders;

export type Tap<K extends ButtonName = ButtonName> = { [N in K]: { button: N; values: ValuesOf<N> } }[K];

/** Which button was tapped and its values, among `names` (all by default); undefined for junk or an old format. */
export function readTap<K extends ButtonName = ButtonName>(
  data: string | undefined,
  names: readonly K[] = Object.keys(BUTTONS) as K[],
): Tap<K> | undefined {
  if (data === undefined) return undefined;
  for (const name of names) {
    const values = (BUTTONS[name] as Button<unknown[]>).parse(data);
    if (values) return { button: name, values } as Tap<K>;
  }
  return undefined;
}

export function isMenuTap(data: string | undefined): boolean {
  const tap = readTap(data);
  return tap !== undefined && BUTTONS[tap.button].menu;
}

/** For a conversation's wait: is this update a tap on one of these buttons? */
export function tapOn(...names: ButtonName[]) {
  return (ctx: Context) => readTap(ctx.callbackQuery?.data, names) !== undefined;
}
