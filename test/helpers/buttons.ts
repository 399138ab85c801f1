import { readFileSync } from 'node:fs';
import type { TFunction } from 'i18next';
import { formatMoney } from '../../src/domain/money.js';
import { planName } from '../../src/domain/plan.js';
import { PAYMENT_METHOD_IDS } from '../../src/domain/payment-methods.js';
import { dataAmount, planButton, type Locale } from '../../src/bot/format.js';
import { HELP_TOPICS } from '../../src/bot/features/help.js';
import { displayWidth } from '../../src/bot/text-width.js';

/** How much of a phone's width a button gets: alone in its row, or two to a row. */
export type Slot = 'full' | 'half';

/** Columns a button may take on a 360-point phone before Telegram cuts it with "…". */
export const WIDTH: Record<Slot, number> = { full: 40, half: 20 };

/** Every translated button label, by the row it sits in (see src/bot for each keyboard). */
export const BUTTON_KEYS: Record<string, Slot> = {
  'menu.renew': 'half',
  'menu.numbers': 'half',
  'menu.history': 'half',
  'menu.help': 'half',
  'menu.link': 'half',
  'menu.stores': 'half',
  'menu.notices': 'half',
  'menu.settings': 'half',
  'menu.language': 'half',
  'common.main_menu': 'half',
  'common.skip': 'full',
  'link.renew_now': 'full',
  'lines.renew': 'full',
  'lines.unlink': 'half',
  'lines.unlink_yes': 'half',
  'lines.unlink_no': 'half',
  'plan.pick': 'full',
  'renew.pay_card': 'full',
  'renew.pay_alt': 'full',
  'renew.pay_with': 'full',
  'renew.more_methods': 'full',
  'renew.cancel': 'full',
  'renew.pay_button': 'full',
  'history.receipt': 'half',
  'receipt.stripe_button': 'full',
  'reminder.renew_now': 'full',
  'notices.all': 'full',
  'settings.timezone': 'half',
  'settings.quiet': 'half',
  'settings.toggle_expiry': 'full',
  'settings.toggle_notices': 'full',
  'settings.pick_quiet_off': 'full',
  'stores.share_location': 'full',
  'admin.continue': 'full',
  'admin.audience_all': 'full',
  'admin.audience_plans': 'full',
  'admin.publish': 'half',
  'admin.cancel': 'half',
  'autorenew.button': 'full',
  'autorenew.setup': 'full',
  'autorenew.add_card': 'full',
  'autorenew.pause': 'half',
  'autorenew.resume': 'half',
  'autorenew.change': 'full',
  'autorenew.replace_card': 'half',
  'autorenew.off': 'half',
  'autorenew.spending': 'half',
  'autorenew.back': 'half',
  'autorenew.off_yes': 'half',
  'autorenew.off_no': 'half',
  'autorenew.open_card_page': 'full',
  'autorenew.current': 'full',
  'autorenew.cap_keep': 'full',
  'autorenew.when_before_button': 'full',
  'autorenew.when_low_button': 'full',
  'autorenew.confirm': 'half',
  'autorenew.cancel': 'half',
  'autorenew.pay_now': 'full',
  'autorenew.raise_cap': 'full',
  'stars.subscribe_button': 'full',
  'stars.subscribe_pay': 'full',
  'operator.refund': 'half',
  'operator.retry': 'half',
  'operator.refund_yes': 'half',
  'operator.back': 'half',
  'esim.install_iphone': 'full',
  'esim.resend': 'full',
  'esim.help_button': 'full',
  'esim.refund_button': 'full',
  'esim.refund_yes': 'full',
  'esim.refund_keep': 'full',
  'operator.esim_opt_in_low_data': 'full',
  'operator.esim_opt_in_credit': 'full',
  'stars.pay': 'full',
  'lowdata.renew': 'full',
  'settings.toggle_lowdata': 'full',
  ...Object.fromEntries(HELP_TOPICS.map((topic) => [`help.topics.${topic}.title`, 'half' as const])),
};

type Plan = Parameters<typeof planButton>[1];
const catalog = JSON.parse(readFileSync(new URL('../../data/catalog.sample.json', import.meta.url), 'utf8')) as {
  plans: Array<{
    code: string;
    carrier: string;
    kind: Plan['kind'];
    dataMb: number | null;
    validityDays: number;
    price: { amount: number; currency: string };
    names: Record<string, string>;
  }>;
};
export const SAMPLE_PLANS: Plan[] = catalog.plans.map((p) => ({
  code: p.code,
  carrier: p.carrier,
  kind: p.kind,
  dataMb: p.dataMb,
  validityDays: p.validityDays,
  priceMinor: p.price.amount,
  currency: p.price.currency,
  altPriceMinor: null,
  altCurrency: null,
  names: p.names,
}));

/** A button's label as the traveller would see it, with the longest values Kuota puts in it. */
export function renderButton(t: TFunction, language: string, key: string): string[] {
  const l: Locale = { t, language, timezone: 'Asia/Jakarta' };
  const price = formatMoney({ amountMinor: 1_400_000, currency: 'IDR' }, language);
  const longestState = [t('settings.on'), t('settings.off')].sort((a, b) => b.length - a.length)[0];
  const values = {
    price,
    cap: price,
    count: 24,
    data: dataAmount(l, 1024),
    state: longestState,
    order: 'KU-7F3K9Q',
    stars: (1500).toLocaleString(language),
    plan: SAMPLE_PLANS.map((p) => planName(p, language)).sort((a, b) => displayWidth(b) - displayWidth(a))[0],
  };
  if (key === 'plan.pick') return SAMPLE_PLANS.map((p) => planButton(l, p));
  // Every method's name as that language writes it, at the longest price.
  if (key === 'renew.pay_with')
    return PAYMENT_METHOD_IDS.map((method) => t(key, { ...values, method: t(`payment_method.${method}`) }));
  // The help topic in view is marked with "• ".
  if (key.startsWith('help.topics.')) return [`• ${t(key)}`];
  return [t(key, values)];
}
