import type { PaymentMethodId } from '../domain/payment-methods.js';
import type { Logger } from '../logger.js';

/** How long a method the processor refused stays off before it is tried again. */
export const METHOD_OFF_MS = 60 * 60_000;

/**
 * Methods a processor refused (Stripe: the type is not activated on the account), switched off for a
 * while in this process: the summary offers the others, and the refusal is logged once per spell.
 */
export function createMethodSwitch(deps: { now: () => Date; logger: Logger }) {
  const offUntil = new Map<PaymentMethodId, number>();
  return {
    isOff(method: PaymentMethodId): boolean {
      const until = offUntil.get(method);
      return until !== undefined && until > deps.now().getTime();
    },
    switchOff(method: PaymentMethodId, code: string, orderId: string): void {
      if (this.isOff(method)) return;
      offUntil.set(method, deps.now().getTime() + METHOD_OFF_MS);
      deps.logger.warn(
        { method, code, orderId, minutes: METHOD_OFF_MS / 60_000 },
        'payment method refused by the processor; switched off for a while',
      );
    },
  };
}

export type MethodSwitch = ReturnType<typeof createMethodSwitch>;
