import { randomBytes } from 'node:crypto';
import { withLuhnDigit } from '../../domain/iccid.js';
import type {
  EsimSeller,
  InstallSteps,
  NewEsim,
  NewEsimRequest,
  NewEsimStatus,
  PartnerRefund,
} from '../../services/ports/esim-sales.js';

/**
 * The simulator's new eSIMs, scripted by the package's SKU so a demo shows every outcome:
 *   …fail…  the partner refuses the order (the traveller is refunded)
 *   …slow…  the order is pending, and delivered when asked again
 *   …late…  the order is placed but its answer is lost; asking again finds it (never bought twice)
 * Any other package delivers at once: a valid ICCID (Luhn), an LPA string and an Apple link.
 */
export function simulatorEsimSeller(): EsimSeller & { ordersPlaced: () => number } {
  const orders = new Map<string, NewEsim>();
  const asked = new Map<string, number>();
  let placed = 0;

  function place(reference: string): NewEsim {
    placed++;
    const iccid = withLuhnDigit(`898800000${String(placed).padStart(9, '0')}`);
    const activationCode = `SIM${randomBytes(5).toString('hex').toUpperCase()}`;
    const smdpAddress = 'smdp.simulator.kuota.example';
    const lpa = `LPA:1$${smdpAddress}$${activationCode}`;
    const esim: NewEsim = {
      iccid,
      lpa,
      smdpAddress,
      activationCode,
      appleInstallUrl: `https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=${lpa}`,
      apn: null,
      partnerOrderRef: `SIM-ESIM-${placed}`,
    };
    orders.set(reference, esim);
    return esim;
  }

  return {
    ordersPlaced: () => placed,
    async orderEsim(request: NewEsimRequest): Promise<NewEsimStatus> {
      const times = (asked.get(request.reference) ?? 0) + 1;
      asked.set(request.reference, times);
      const found = orders.get(request.reference);
      if (found) return { status: 'delivered', esim: found };
      if (request.sku.includes('fail')) return { status: 'failed', reason: 'simulated refusal', retryable: false };
      if (request.sku.includes('slow') && times === 1) return { status: 'pending' };
      const esim = place(request.reference);
      // The answer is "lost": only the next look, by the reference, finds the eSIM.
      if (request.sku.includes('late') && times === 1) return { status: 'pending' };
      return { status: 'delivered', esim };
    },
    async installSteps(): Promise<InstallSteps | null> {
      // The simulator has no steps of its own: Kuota's translated steps are shown.
      return null;
    },
    async refundEsim(iccid: string): Promise<PartnerRefund> {
      return [...orders.values()].some((e) => e.iccid === iccid)
        ? { ok: true, reference: `SIM-REFUND-${iccid.slice(-4)}` }
        : { ok: false, reason: 'unknown eSIM' };
    },
  };
}
