/**
 * Whether a new eSIM Kuota sold may still be given back. Airalo takes back, through its "Request
 * refund" review, an eSIM that was never used; one that has connected (installed and in use) is the
 * traveller's, and the partner's refund policy ends the right of withdrawal at activation. Kuota's
 * own window (ESIM_REFUND_DAYS) keeps the partner's review within its terms.
 */
export type EsimRefundCheck = 'refundable' | 'installed' | 'window_passed';

export function esimRefundCheck(e: {
  installed: boolean;
  deliveredAt: Date;
  now: Date;
  windowMs: number;
}): EsimRefundCheck {
  if (e.installed) return 'installed';
  return e.now.getTime() > refundableUntil(e.deliveredAt, e.windowMs).getTime() ? 'window_passed' : 'refundable';
}

/** The last moment an eSIM delivered at `deliveredAt` may be refunded, when it stays uninstalled. */
export const refundableUntil = (deliveredAt: Date, windowMs: number) => new Date(deliveredAt.getTime() + windowMs);

/** What the partner's usage status says about installation: anything but NOT_ACTIVE has connected. */
export function installedBy(status: string | null | undefined): boolean | null {
  if (!status || status === 'UNKNOWN') return null;
  return status !== 'NOT_ACTIVE';
}
