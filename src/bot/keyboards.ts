import { InlineKeyboard } from 'grammy';
import type { TFunction } from 'i18next';

/** Callback data: short, prefixed, never carrying a price (prices come from the catalog). */
export const CB = {
  menu: (item: 'renew' | 'numbers' | 'history' | 'help' | 'lang' | 'link' | 'home' | 'settings' | 'notices' | 'stores') => `m:${item}`,
  city: (name: string) => `sc:${name.slice(0, 40)}`,
  store: (id: string) => `so:${id}`,
  helpTopic: (topic: string) => `hp:${topic}`,
  renewNow: (lineId: string) => `rn:${lineId}`,
  notice: (id: string) => `nt:${id}`,
  setting: (name: string) => `st:${name}`,
  renewLine: (lineId: string) => `ln:renew:${lineId}`,
  unlinkAsk: (lineId: string) => `ln:unlink:${lineId}`,
  unlinkYes: (lineId: string) => `ln:unlink!:${lineId}`,
  pay: (orderId: string, variant: 'm' | 'a') => `o:pay:${orderId}:${variant}`,
  cancelOrder: (orderId: string) => `o:cancel:${orderId}`,
  receipt: (orderId: string) => `o:receipt:${orderId}`,
  language: (code: string) => `lang:${code}`,
  pickLine: (lineId: string) => `rl:${lineId}`,
  pickPlan: (code: string) => `rp:${code}`,
  skipLabel: 'lk:skip',
  autoRenew: (action: 'open' | 'setup' | 'card' | 'pause' | 'resume' | 'off' | 'off!', lineId: string) => `ar:${action}:${lineId}`,
  autoRenewSpending: 'ar:spending',
  // Inside the auto-renew conversation: plan, budget, trigger, confirm.
  autoRenewPlan: (code: string) => `arp:${code}`,
  autoRenewCap: (amountMinor: number) => `arc:${amountMinor}`,
  autoRenewWhen: (lowDataMb: number | null) => `art:${lowDataMb ?? 'before'}`,
  autoRenewConfirm: 'ary',
  autoRenewCancel: 'arn',
  // Operators: an order's Refund / Retry buttons, each confirmed with a second tap (the "!").
  operatorOrder: (action: 'refund' | 'refund!' | 'retry' | 'show', orderId: string) => `op:${action}:${orderId}`,
} as const;

export function mainMenu(t: TFunction): InlineKeyboard {
  return new InlineKeyboard()
    .text(t('menu.renew'), CB.menu('renew')).text(t('menu.numbers'), CB.menu('numbers')).row()
    .text(t('menu.history'), CB.menu('history')).text(t('menu.help'), CB.menu('help')).row()
    .text(t('menu.link'), CB.menu('link')).text(t('menu.stores'), CB.menu('stores')).row()
    .text(t('menu.notices'), CB.menu('notices'))
    .text(t('menu.settings'), CB.menu('settings')).row()
    .text(t('menu.language'), CB.menu('lang'));
}

export function backToMenu(t: TFunction): InlineKeyboard {
  return new InlineKeyboard().text(t('common.main_menu'), CB.menu('home'));
}
