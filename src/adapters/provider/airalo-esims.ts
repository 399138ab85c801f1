import type { AiraloClient } from './airalo-client.js';
import {
  splitLpa,
  type EsimSeller,
  type InstallSteps,
  type NewEsim,
  type NewEsimRequest,
  type NewEsimStatus,
  type PartnerRefund,
} from '../../services/ports/esim-sales.js';
import { ProviderRateLimitedError, ProviderUnavailableError } from '../../services/ports/provider-gateway.js';

type AiraloSim = {
  iccid?: unknown;
  lpa?: unknown;
  matching_id?: unknown;
  qrcode?: unknown;
  direct_apple_installation_url?: unknown;
  apn_type?: unknown;
  apn_value?: unknown;
};
type AiraloSimOrder = { id?: number | string; code?: string; description?: string | null; sims?: AiraloSim[] };
type Steps = { steps?: Record<string, unknown> };
type PlatformSteps = { installation_via_qr_code?: Steps; installation_manual?: Steps };
type AiraloInstructions = { instructions?: { ios?: PlatformSteps[]; android?: PlatformSteps[] } };

/** Kuota's reference in a new eSIM order's description, looked up before any retry. */
export const newEsimDescription = (reference: string) => `kuota:${reference}`;

/**
 * Airalo's new-eSIM sales: "Submit order" (type=sim), "Get order list" (to find an order by its
 * description before any retry: the order endpoint takes no idempotency key), "Get installation
 * instructions" (Accept-Language) and "Request refund". An order is always looked up before it is
 * placed, so a crash, a timeout or a second instance never buys the same eSIM twice.
 */
export function airaloEsimSeller(client: AiraloClient): EsimSeller {
  async function findOrder(reference: string): Promise<AiraloSimOrder | null> {
    const description = newEsimDescription(reference);
    const query = new URLSearchParams({ 'filter[description]': description, include: 'sims', limit: '50' });
    const answer = await client.request<AiraloSimOrder[]>('GET', `/v2/orders?${query.toString()}`);
    if (answer.status !== 200) throw new ProviderUnavailableError(`order list answered ${answer.status}`);
    // The filter may match by substring: only the exact reference is ours.
    return (Array.isArray(answer.data) ? answer.data : []).find((o) => o.description === description) ?? null;
  }

  return {
    async orderEsim(request: NewEsimRequest): Promise<NewEsimStatus> {
      let found: AiraloSimOrder | null;
      try {
        found = await findOrder(request.reference);
      } catch (error) {
        if (error instanceof ProviderUnavailableError || error instanceof ProviderRateLimitedError)
          return { status: 'failed', reason: error.message, retryable: true };
        throw error;
      }
      if (found) return delivered(found);
      let answer;
      try {
        answer = await client.request<AiraloSimOrder>('POST', '/v2/orders', {
          quantity: '1',
          package_id: request.sku,
          type: 'sim',
          description: newEsimDescription(request.reference),
        });
      } catch (error) {
        if (error instanceof ProviderRateLimitedError)
          return { status: 'failed', reason: error.message, retryable: true };
        if (!(error instanceof ProviderUnavailableError)) throw error;
        // No answer, or a 5xx: the order may exist. It is looked for again before anything is bought.
        return { status: 'pending' };
      }
      if (answer.status === 200 || answer.status === 201) return delivered(answer.data);
      const reason = answer.reason ?? answer.message ?? 'refused';
      return {
        status: 'failed',
        reason: `Airalo ${answer.status}${answer.code !== null ? ` code ${answer.code}` : ''}: ${reason}`,
        // Out of credit or under maintenance passes; an invalid package does not.
        retryable: answer.code === 11 || answer.code === 13 || answer.code === 33 || answer.code === 53,
      };
    },

    async installSteps(iccid: string, language: string): Promise<InstallSteps | null> {
      const answer = await client.request<AiraloInstructions>(
        'GET',
        `/v2/sims/${encodeURIComponent(iccid)}/instructions`,
        undefined,
        { 'accept-language': language },
      );
      if (answer.status !== 200) return null;
      const read = (platforms: PlatformSteps[] | undefined) =>
        Object.entries(platforms?.[0]?.installation_via_qr_code?.steps ?? {})
          .sort(([a], [b]) => Number(a) - Number(b))
          .map(([, step]) => (typeof step === 'string' ? step.slice(0, 300) : ''))
          .filter(Boolean)
          .slice(0, 12);
      const steps = { ios: read(answer.data?.instructions?.ios), android: read(answer.data?.instructions?.android) };
      return steps.ios.length || steps.android.length ? steps : null;
    },

    async refundEsim(iccid: string, note: string): Promise<PartnerRefund> {
      // "Request refund" lists its reasons; none says "never installed", so it is OTHERS, whose notes are required.
      const notes = note.trim().slice(0, 255) || 'Never installed; refunded to the traveller.';
      const answer = await client.request<{ refund_id?: unknown }>('POST', '/v2/refund', {
        json: { iccids: [iccid], reason: 'OTHERS', notes },
      });
      if (answer.status === 200 || answer.status === 202) {
        const id = answer.data?.refund_id;
        return { ok: true, reference: typeof id === 'string' || typeof id === 'number' ? String(id) : '' };
      }
      return { ok: false, reason: answer.reason ?? answer.message ?? `refund answered ${answer.status}` };
    },
  };
}

/** The order's first eSIM; an order with none is a failure the partner must explain (refunded). */
function delivered(order: AiraloSimOrder | null): NewEsimStatus {
  const sim = order?.sims?.[0];
  const partnerOrderRef = String(order?.code ?? order?.id ?? 'airalo');
  if (!sim) return { status: 'failed', reason: `Airalo order ${partnerOrderRef} has no eSIM in it`, retryable: false };
  const lpa =
    typeof sim.qrcode === 'string' && sim.qrcode.startsWith('LPA:')
      ? sim.qrcode
      : `LPA:1$${String(sim.lpa)}$${String(sim.matching_id)}`;
  const parts = splitLpa(lpa);
  const iccid = typeof sim.iccid === 'string' && /^\d{18,22}$/.test(sim.iccid) ? sim.iccid : null;
  if (!parts || !iccid)
    return {
      status: 'failed',
      reason: `Airalo order ${partnerOrderRef}: the eSIM has no usable ICCID or LPA`,
      retryable: false,
    };
  const apple = typeof sim.direct_apple_installation_url === 'string' ? sim.direct_apple_installation_url : '';
  const esim: NewEsim = {
    iccid,
    lpa,
    ...parts,
    appleInstallUrl: apple.startsWith('https://') ? apple.slice(0, 500) : null,
    apn:
      sim.apn_type === 'manual' && typeof sim.apn_value === 'string' && sim.apn_value
        ? sim.apn_value.slice(0, 100)
        : null,
    partnerOrderRef,
  };
  return { status: 'delivered', esim };
}
