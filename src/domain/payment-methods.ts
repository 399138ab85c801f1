/**
 * Every way a traveller can pay, by Kuota's id. The processor that takes each one, its currencies,
 * limits, refunds and pending time are declared by the processor (services/ports/payment-processor.ts).
 */
export const PAYMENT_METHOD_IDS = [
  'card',
  'alipay',
  'wechat_pay',
  'paypal',
  'kakao_pay',
  'naver_pay',
  'payco',
  'paypay',
  'promptpay',
  'grabpay',
  'paynow',
  'qris',
  'gopay',
  'shopeepay',
  'bca_va',
  'bni_va',
  'bri_va',
  /** Mandiri Bill Payment (Midtrans calls it echannel). */
  'echannel',
  'permata_va',
  'indomaret',
  'alfamart',
  'stars',
] as const;

export type PaymentMethodId = (typeof PAYMENT_METHOD_IDS)[number];

export const PROCESSOR_IDS = ['stripe', 'midtrans', 'stars'] as const;
export type ProcessorId = (typeof PROCESSOR_IDS)[number];

export function isPaymentMethodId(value: string): value is PaymentMethodId {
  return (PAYMENT_METHOD_IDS as readonly string[]).includes(value);
}

/** The smallest and largest amount a method takes in one currency, in that currency's minor units (see money.ts). */
export type AmountLimits = { minMinor?: number; maxMinor?: number };

/** What one processor says of one method it offers. */
export type MethodTerms = {
  method: PaymentMethodId;
  /** ISO 4217 codes the method settles in (XTR for Stars); 'any' for cards, which take the plan's own currency (never XTR). */
  currencies: readonly string[] | 'any';
  /** Limits by currency; a currency not listed has none. */
  limits?: Readonly<Record<string, AmountLimits>>;
  /** 'api': the processor refunds it; 'owed': it cannot (bank transfer, minimarket cash), the operator pays it back by hand. */
  refund: 'api' | 'owed';
  /** How long a started payment may stay pending before it settles or fails (0: it settles at once or not at all). */
  pendingMs: number;
};

/** Whether a price in `currency` of `amountMinor` fits the method's currencies and limits. */
export function methodTakes(terms: MethodTerms, price: { amountMinor: number; currency: string }): boolean {
  const currency = price.currency.toUpperCase();
  // 'any' is any money, not Telegram Stars (XTR): only the Stars method takes those.
  if (terms.currencies === 'any' ? currency === 'XTR' : !terms.currencies.includes(currency)) return false;
  const limits = terms.limits?.[currency];
  if (limits?.minMinor !== undefined && price.amountMinor < limits.minMinor) return false;
  if (limits?.maxMinor !== undefined && price.amountMinor > limits.maxMinor) return false;
  return true;
}

/** Each method's name as its own market writes it, for the operator's console (the chat says it in the traveller's language). */
const METHOD_NAMES: Record<PaymentMethodId, string> = {
  card: 'Card',
  alipay: 'Alipay',
  wechat_pay: 'WeChat Pay',
  paypal: 'PayPal',
  kakao_pay: 'Kakao Pay',
  naver_pay: 'Naver Pay',
  payco: 'PAYCO',
  paypay: 'PayPay',
  promptpay: 'PromptPay',
  grabpay: 'GrabPay',
  paynow: 'PayNow',
  qris: 'QRIS',
  gopay: 'GoPay',
  shopeepay: 'ShopeePay',
  bca_va: 'BCA Virtual Account',
  bni_va: 'BNI Virtual Account',
  bri_va: 'BRI Virtual Account',
  echannel: 'Mandiri Bill Payment',
  permata_va: 'Permata Virtual Account',
  indomaret: 'Indomaret',
  alfamart: 'Alfamart',
  stars: 'Telegram Stars',
};

export function methodName(method: string): string {
  return isPaymentMethodId(method) ? METHOD_NAMES[method] : method;
}
