/** What Kuota needs from an eSIM partner to sell a new eSIM (not a top-up of one already sold). */

export type NewEsimRequest = {
  /** Kuota's order id: the partner's order takes no idempotency key, so it goes in the description. */
  reference: string;
  sku: string;
  /** The plan's own provider, when the catalog names one. */
  provider?: string | null;
};

/** What the traveller needs to install the eSIM. */
export type NewEsim = {
  iccid: string;
  /** The LPA string the QR code carries: LPA:1$<SM-DP+ address>$<activation code>. */
  lpa: string;
  smdpAddress: string;
  activationCode: string;
  /** The partner's one-tap installation link for iPhones (iOS 17.4 and later). */
  appleInstallUrl: string | null;
  /** The APN to set by hand, where the package needs one. */
  apn: string | null;
  partnerOrderRef: string;
};

export type NewEsimStatus =
  | { status: 'delivered'; esim: NewEsim }
  /** Taken by the partner (or maybe taken: no answer); the sweep asks again by the reference. */
  | { status: 'pending' }
  | { status: 'failed'; reason: string; retryable: boolean };

export type InstallSteps = { ios: string[]; android: string[] };

export type PartnerRefund = { ok: true; reference: string } | { ok: false; reason: string };

export interface EsimSeller {
  /** Finds the order by its reference first; only an order that is not there is placed. Never buys twice. */
  orderEsim(request: NewEsimRequest): Promise<NewEsimStatus>;
  /** The partner's installation steps in a language, or null when it has none. */
  installSteps(iccid: string, language: string): Promise<InstallSteps | null>;
  /** Asks the partner to take back an eSIM never installed. */
  refundEsim(iccid: string, note: string): Promise<PartnerRefund>;
}

/** Splits an LPA activation string (GSMA SGP.22: LPA:1$<address>$<matching id>); null when it is not one. */
export function splitLpa(lpa: string): { smdpAddress: string; activationCode: string } | null {
  const match = /^LPA:1\$([^$\s]{1,200})\$([^$\s]{1,200})(\$.*)?$/.exec(lpa.trim());
  return match ? { smdpAddress: match[1]!, activationCode: match[2]! } : null;
}
