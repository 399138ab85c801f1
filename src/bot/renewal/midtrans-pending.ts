import { dateTime, money, type Locale } from '../format.js';

export type MidtransPendingPayload = {
  orderId: string;
  method: string | null;
  payTo: { vaNumber?: string; bank?: string; billerCode?: string; billKey?: string; paymentCode?: string };
  amountIdr: number;
  expiresAt: string | null;
};

/** Bank and shop names as Indonesians write them: brand names, the same in every language. */
const BRAND: Record<string, string> = {
  bca: 'BCA',
  bni: 'BNI',
  bri: 'BRI',
  permata: 'Permata',
  indomaret: 'Indomaret',
  alfamart: 'Alfamart',
};

/**
 * How, where and by when to pay a code Midtrans handed out (a virtual account, a Mandiri bill, a
 * minimarket code), in the traveller's language and timezone. null when there is nothing to pay to.
 */
export function midtransPendingText(l: Locale, order: string, p: MidtransPendingPayload): string | null {
  const common = {
    order,
    price: money(l, { amountMinor: p.amountIdr, currency: 'IDR' }),
    until: p.expiresAt ? dateTime(l, p.expiresAt) : '',
  };
  if (p.payTo.billKey)
    return l.t('midtrans.pending.echannel', {
      ...common,
      biller: p.payTo.billerCode ?? '',
      number: p.payTo.billKey,
    });
  if (p.payTo.vaNumber)
    return l.t('midtrans.pending.bank_transfer', {
      ...common,
      bank: BRAND[p.payTo.bank ?? ''] ?? (p.payTo.bank ?? '').toUpperCase(),
      number: p.payTo.vaNumber,
    });
  if (p.payTo.paymentCode)
    return l.t('midtrans.pending.minimarket', {
      ...common,
      store: BRAND[p.method ?? ''] ?? 'Indomaret / Alfamart',
      number: p.payTo.paymentCode,
    });
  return null;
}
