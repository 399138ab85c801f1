import type { Db } from '../adapters/db/client.js';
import type { ProviderGateway } from './ports/provider-gateway.js';
import type { Logger } from '../logger.js';
import type { PaymentGateway } from './ports/payment-gateway.js';
import type { PaymentProcessors } from './ports/payment-processor.js';
import type { StarsGateway } from './ports/stars-gateway.js';
import type { MidtransGateway } from './ports/midtrans-gateway.js';

/** What every service may be handed; tests pass a temp database, the fakes and a fixed clock. */
export type ServiceDeps = {
  db: Db;
  provider: ProviderGateway;
  payments: PaymentGateway;
  logger: Logger;
  now: () => Date;
  /** Telegram Stars; absent when the operator has not switched them on. */
  stars?: StarsGateway;
  /** Midtrans; absent when no server key is set. */
  midtrans?: MidtransGateway;
  /** The operators' Telegram ids: told of what only a person can settle (a refund owed). */
  adminIds?: number[];
  /** Every processor wired in, by id (services/ports/payment-processor.ts); Stripe's is built on `payments`. */
  processors?: PaymentProcessors;
};
