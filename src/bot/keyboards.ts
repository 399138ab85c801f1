import { InlineKeyboard } from 'grammy';
import type { TFunction } from 'i18next';
import { cutUtf8 } from '../domain/text.js';

/** Callback data: short, prefixed, never carrying a price (prices come from the catalog). */
export const CB = {
  menu: (
    item: 'renew' | 'numbers' | 'history' | 'help' | 'lang' | 'link' | 'home' | 'settings' | 'notices' | 'stores',
  ) => `m:${item}`,
  // Callback data holds 64 bytes: a long city name is cut, and found again by its beginning.
  city: (name: string) => `sc:${cutUtf8(name, 60)}`,
  store: (id: string) => `so:${id}`,
  helpTopic: (topic: string) => `hp:${topic}`,
  renewNow: (lineId: string) => `rn:${lineId}`,
  notice: (id: string) => `nt:${id}`,
  setting: (name: string) => `st:${name}`,
  openLine: (lineId: string) => `ln:open:${lineId}`,
  renewLine: (lineId: string) => `ln:renew:${lineId}`,
  unlinkAsk: (lineId: string) => `ln:unlink:${lineId}`,
  unlinkYes: (lineId: string) => `ln:unlink!:${lineId}`,
  /** `method`: a payment method id (domain/payment-methods.ts); older summaries sent m (card) or a (Alipay / WeChat Pay). */
  pay: (orderId: string, method: string) => `o:pay:${orderId}:${method}`,
  moreMethods: (orderId: string) => `o:more:${orderId}`,
  cancelOrder: (orderId: string) => `o:cancel:${orderId}`,
  receipt: (orderId: string) => `o:receipt:${orderId}`,
  language: (code: string) => `lang:${code}`,
  pickLine: (lineId: string) => `rl:${lineId}`,
  pickPlan: (code: string) => `rp:${code}`,
  skipLabel: 'lk:skip',
  autoRenew: (action: 'open' | 'setup' | 'card' | 'pause' | 'resume' | 'off' | 'off!', lineId: string) =>
    `ar:${action}:${lineId}`,
  autoRenewSpending: 'ar:spending',
  starsSubscription: (lineId: string) => `as:${lineId}`,
  // Inside the auto-renew conversation: plan, budget, trigger, confirm.
  autoRenewPlan: (code: string) => `arp:${code}`,
  autoRenewCap: (amountMinor: number) => `arc:${amountMinor}`,
  autoRenewWhen: (lowDataMb: number | null) => `art:${lowDataMb ?? 'before'}`,
  autoRenewConfirm: 'ary',
  autoRenewCancel: 'arn',
  // Operators: an order's Refund / Retry buttons, each confirmed with a second tap (the "!").
  operatorOrder: (action: 'refund' | 'refund!' | 'retry' | 'show', orderId: string) => `op:${action}:${orderId}`,
} as const;

/**
 * `t` for text Telegram shows as typed, not as HTML: button labels and callback answers.
 * i18next escapes values for message bodies; here a line named "Mom & Dad <3" must stay as it is.
 */
export function plain(t: TFunction) {
  return (key: string, values: Record<string, unknown> = {}): string =>
    t(key, { ...values, interpolation: { escapeValue: false } });
}

type MenuItem = Parameters<typeof CB.menu>[0];
const MAIN_MENU: Array<Array<[label: string, item: MenuItem]>> = [
  [
    ['menu.renew', 'renew'],
    ['menu.numbers', 'numbers'],
  ],
  [
    ['menu.history', 'history'],
    ['menu.help', 'help'],
  ],
  [
    ['menu.link', 'link'],
    ['menu.stores', 'stores'],
  ],
  [
    ['menu.notices', 'notices'],
    ['menu.settings', 'settings'],
  ],
  [['menu.language', 'lang']],
];
// Nearly every reply carries the main menu: its labels are translated once per language, not per reply.
const menuLabels = new Map<string, string[][]>();

export function mainMenu(t: TFunction): InlineKeyboard {
  const fixed = t as TFunction & { lng?: string; keyPrefix?: string };
  const language = fixed.lng === undefined || fixed.keyPrefix !== undefined ? undefined : fixed.lng;
  let labels = language === undefined ? undefined : menuLabels.get(language);
  if (!labels) {
    labels = MAIN_MENU.map((row) => row.map(([key]) => t(key)));
    if (language !== undefined) menuLabels.set(language, labels);
  }
  const known = labels;
  // A new keyboard each time: callers add rows to it.
  return InlineKeyboard.from(
    MAIN_MENU.map((row, r) => row.map(([, item], i) => InlineKeyboard.text(known[r]![i]!, CB.menu(item)))),
  );
}

export function backToMenu(t: TFunction): InlineKeyboard {
  return new InlineKeyboard().text(t('common.main_menu'), CB.menu('home'));
}
