import type { StarsRates } from '../../domain/stars.js';

export type StarsOptions = {
  /** off: no Stars; on: beside Stripe; only: Stars alone. */
  mode: 'off' | 'on' | 'only';
  rates: StarsRates;
  /** How long an order's invoice may be paid, as for a Stripe link. */
  invoiceMinutes: number;
};
