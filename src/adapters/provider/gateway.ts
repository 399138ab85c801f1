/** What Kuota needs from a wholesale provider; one adapter per provider family. */

export type LineInfo = { carrier: string; planCode: string | null; expiresAt: Date | null };

export type TopUpRequest = {
  /** Kuota's order id: the provider must treat a repeat with the same reference as the same top-up. */
  reference: string;
  sku: string;
  identifier: string;
  kind: 'msisdn' | 'iccid';
};

export type TopUpStatus =
  | { status: 'success'; providerRef: string; expiresAt: Date | null }
  | { status: 'pending'; providerRef: string | null }
  | { status: 'failed'; providerRef: string | null; reason: string; retryable: boolean };

export type Package = { sku: string; priceMinor: number; currency: string; available: boolean };

export interface ProviderGateway {
  readonly name: string;
  /** null when the provider does not know the line. */
  lookupLine(identifier: string, kind: 'msisdn' | 'iccid'): Promise<LineInfo | null>;
  /** Sends a one-time code to the line (SMS for a number, the partner app for an eSIM). */
  sendCode(identifier: string, kind: 'msisdn' | 'iccid'): Promise<{ reference: string }>;
  checkCode(reference: string, code: string): Promise<boolean>;
  listPackages(carrier: string): Promise<Package[]>;
  topUp(request: TopUpRequest): Promise<TopUpStatus>;
  /** Same arguments as the top-up: providers look the transaction up by its reference. */
  topUpStatus(request: TopUpRequest): Promise<TopUpStatus>;
  /** Data left on the line's plan, in MB (null: unknown right now). Only providers that report usage have it. */
  remainingDataMb?(identifier: string, kind: 'msisdn' | 'iccid'): Promise<number | null>;
  /** The operator's deposit at the provider, which every top-up draws on. */
  balance?(): Promise<{ amountMinor: number; currency: string }>;
}

export class ProviderUnavailableError extends Error {}
