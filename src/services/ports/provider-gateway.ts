import type { EsimSeller } from './esim-sales.js';

/** What Kuota needs from a wholesale provider; one adapter per provider family. */

export type LineInfo = { carrier: string; planCode: string | null; expiresAt: Date | null };

export type TopUpRequest = {
  /** Kuota's order id: the provider must treat a repeat with the same reference as the same top-up. */
  reference: string;
  sku: string;
  identifier: string;
  kind: 'msisdn' | 'iccid';
  /** The plan's own provider, when the catalog names one; otherwise the line's kind decides. */
  provider?: string | null;
};

export type TopUpStatus =
  | { status: 'success'; providerRef: string; expiresAt: Date | null }
  | { status: 'pending'; providerRef: string | null }
  | {
      status: 'failed';
      providerRef: string | null;
      reason: string;
      retryable: boolean;
      /** The provider's own refusal code, where it documents one (Airalo's 11: its credit ran out). */
      partnerCode?: number | null;
    };

/** A wholesale package: priceMinor is what the provider charges Kuota (the cost). */
export type Package = {
  sku: string;
  priceMinor: number;
  currency: string;
  available: boolean;
  /** The lowest price the provider lets a partner sell at (Airalo's retail `price`). */
  minRetailMinor?: number;
  title?: string;
  dataMb?: number | null;
  validityDays?: number;
  /** An eSIM partner's kind of package: a new eSIM, or a top-up for one it sold. */
  packageType?: 'sim' | 'topup';
  /** What ties a top-up to the eSIMs it fits (the partner's operator); null when unknown. */
  family?: string | null;
  /** A new eSIM's countries (ISO 3166 alpha-2): one for a local plan, several for a regional one. */
  countries?: string[];
  /** When a new eSIM's plan starts: at installation, or at first use. */
  activationPolicy?: string | null;
};

/** What an eSIM partner reports about a line's plan. */
export type Usage = {
  remainingMb: number | null;
  totalMb: number | null;
  unlimited: boolean;
  expiresAt: Date | null;
  status: 'NOT_ACTIVE' | 'ACTIVE' | 'FINISHED' | 'UNKNOWN' | 'EXPIRED';
};

/** A provider that sells new eSIMs has the EsimSeller methods too. */
export interface ProviderGateway extends Partial<EsimSeller> {
  readonly name: string;
  /** null when the provider does not know the line. */
  lookupLine(identifier: string, kind: 'msisdn' | 'iccid'): Promise<LineInfo | null>;
  /** Sends a one-time code to the line (SMS for a number, the partner app for an eSIM). */
  sendCode(identifier: string, kind: 'msisdn' | 'iccid'): Promise<{ reference: string }>;
  /** How ownership of a line is proved: a code the provider sends (default), or a claim code the operator issues. */
  linkProof?(kind: 'msisdn' | 'iccid'): 'code' | 'claim';
  checkCode(reference: string, code: string): Promise<boolean>;
  listPackages(carrier: string): Promise<Package[]>;
  /** The packages this line can take, where the provider says (eSIM partners, per ICCID); null: any. */
  topUpPackages?(identifier: string, kind: 'msisdn' | 'iccid'): Promise<Package[] | null>;
  topUp(request: TopUpRequest): Promise<TopUpStatus>;
  /** Same arguments as the top-up: providers look the transaction up by its reference. */
  topUpStatus(request: TopUpRequest): Promise<TopUpStatus>;
  /** The plan's usage (null: this provider or this line reports none). Only providers that report usage have it. */
  usage?(identifier: string, kind: 'msisdn' | 'iccid'): Promise<Usage | null>;
  /** Whether lines of this kind report usage (default: whether usage() exists). */
  reportsUsage?(kind: 'msisdn' | 'iccid'): boolean;
  /** True when the provider pushes low-data webhooks for lines of this kind, so no polling is needed. */
  pushesLowData?(kind: 'msisdn' | 'iccid'): boolean;
  /** The operator's deposit at the provider, which every top-up draws on. */
  balance?(): Promise<{ amountMinor: number; currency: string }>;
  /** A provider that calls back about pending top-ups: checks a callback's signature and reads it (null: refused). */
  parseCallback?(rawBody: Buffer, signature: string | undefined): { reference: string; status: TopUpStatus } | null;
}

/** A 429 whose Retry-After is longer than Kuota will wait inside one request. */
export class ProviderRateLimitedError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`provider rate limit: retry after ${Math.round(retryAfterMs / 1000)} s`);
  }
}

export class ProviderUnavailableError extends Error {}
