import type { Money } from './money.js';
import { methodTakes, PAYMENT_METHOD_IDS, type MethodTerms, type PaymentMethodId } from './payment-methods.js';

/** A method the summary offers, at the price it would charge. */
export type MethodOffer = { method: PaymentMethodId; price: Money };

export type Traveller = {
  /** The traveller's language (one of the ten). */
  language: string;
  /** The line being paid for is an Indonesian number (an ICCID says nothing of where its owner pays). */
  indonesianNumber: boolean;
};

const INDONESIAN_FIRST: readonly PaymentMethodId[] = ['qris', 'gopay', 'shopeepay'];
const CHINESE_FIRST: readonly PaymentMethodId[] = ['alipay', 'wechat_pay'];
/** After the first few, each market's own wallet before the rest. */
const MARKET_WALLETS: Readonly<Record<string, readonly PaymentMethodId[]>> = {
  ko: ['kakao_pay', 'naver_pay', 'payco'],
  ja: ['paypay'],
  th: ['promptpay'],
  ms: ['grabpay'],
  'zh-TW': ['alipay'],
};

/**
 * The methods a traveller sees first, by where they pay at home (issue 22). Stars, when offered, come
 * before them all: paid inside the chat, with no page to open, as the summary has always shown them.
 */
function preferred(traveller: Traveller): readonly PaymentMethodId[] {
  const market = MARKET_WALLETS[traveller.language] ?? [];
  if (traveller.language === 'id' || traveller.language === 'ms')
    return ['stars', ...INDONESIAN_FIRST, ...market, 'card', 'paypal'];
  if (traveller.language === 'zh-CN') return ['stars', ...CHINESE_FIRST, 'card', 'paypal'];
  if (traveller.indonesianNumber) return ['stars', ...INDONESIAN_FIRST, 'card', ...market, 'paypal'];
  return ['stars', 'card', ...market, 'paypal'];
}

/**
 * The methods the order summary offers, best first: only those the operator switched on, that a
 * processor offers, and whose currencies and limits take one of the plan's prices (the first price
 * that fits, the plan's own price before its others). Stars are one such method: its terms take only
 * XTR, so it is offered when the order has a price in Stars among `prices`.
 */
export function offeredMethods(input: {
  terms: readonly MethodTerms[];
  enabled: readonly PaymentMethodId[];
  prices: readonly Money[];
  traveller: Traveller;
}): MethodOffer[] {
  const offers = new Map<PaymentMethodId, MethodOffer>();
  for (const terms of input.terms) {
    if (offers.has(terms.method) || !input.enabled.includes(terms.method)) continue;
    const price = input.prices.find((p) => methodTakes(terms, p));
    if (price) offers.set(terms.method, { method: terms.method, price });
  }
  const first = preferred(input.traveller);
  const rank = (m: PaymentMethodId) => {
    const at = first.indexOf(m);
    return at >= 0 ? at : first.length + PAYMENT_METHOD_IDS.indexOf(m);
  };
  return [...offers.values()].sort((a, b) => rank(a.method) - rank(b.method));
}
