import type {
  LineInfo,
  Package,
  ProviderGateway,
  TopUpRequest,
  TopUpStatus,
  Usage,
} from '../../services/ports/provider-gateway.js';
import type { InstallSteps, NewEsimRequest, NewEsimStatus, PartnerRefund } from '../../services/ports/esim-sales.js';

type Kind = 'msisdn' | 'iccid';

/**
 * Several providers behind one gateway: a line goes to the provider for its kind (numbers to the
 * Indonesian aggregator, ICCIDs to the eSIM partner), and a top-up to the plan's own provider when
 * the catalog names one. The same adapter may serve both kinds (the simulator, by default).
 */
export class RoutingGateway implements ProviderGateway {
  readonly name: string;
  private readonly byName: Map<string, ProviderGateway>;
  /** The deposit that top-ups draw on, where a provider keeps one (the Indonesian aggregator does). */
  readonly balance?: () => Promise<{ amountMinor: number; currency: string }>;

  constructor(private readonly byKind: Record<Kind, ProviderGateway>) {
    this.byName = new Map([byKind.msisdn, byKind.iccid].map((p) => [p.name, p]));
    this.name = [...this.byName.keys()].join('+');
    const withBalance = this.adapters().find((p) => typeof p.balance === 'function');
    if (withBalance) this.balance = () => withBalance.balance!();
  }

  /** The adapters behind this gateway. */
  adapters(): ProviderGateway[] {
    return [...this.byName.values()];
  }

  /** The provider that calls back about top-ups, if one of them does (by what it can do, not what it is). */
  callbacks(): Pick<Required<ProviderGateway>, 'parseCallback'> | null {
    const found = this.adapters().find((p) => typeof p.parseCallback === 'function');
    return found ? { parseCallback: (body, signature) => found.parseCallback!(body, signature) } : null;
  }

  forKind(kind: Kind): ProviderGateway {
    return this.byKind[kind];
  }

  lookupLine(identifier: string, kind: Kind): Promise<LineInfo | null> {
    return this.byKind[kind].lookupLine(identifier, kind);
  }

  linkProof(kind: Kind): 'code' | 'claim' {
    return this.byKind[kind].linkProof?.(kind) ?? 'code';
  }

  /** The code's reference names its provider, so the check goes back to the one that sent it. */
  async sendCode(identifier: string, kind: Kind): Promise<{ reference: string }> {
    const provider = this.byKind[kind];
    const { reference } = await provider.sendCode(identifier, kind);
    return { reference: `${provider.name}:${reference}` };
  }

  async checkCode(reference: string, code: string): Promise<boolean> {
    const cut = reference.indexOf(':');
    const provider = this.byName.get(reference.slice(0, cut));
    return cut > 0 && !!provider && provider.checkCode(reference.slice(cut + 1), code);
  }

  listPackages(carrier: string): Promise<Package[]> {
    return this.byKind[carrier === 'esim' ? 'iccid' : 'msisdn'].listPackages(carrier);
  }

  async topUpPackages(identifier: string, kind: Kind): Promise<Package[] | null> {
    return (await this.byKind[kind].topUpPackages?.(identifier, kind)) ?? null;
  }

  topUp(request: TopUpRequest): Promise<TopUpStatus> {
    return this.route(request, (p) => p.topUp(request));
  }

  topUpStatus(request: TopUpRequest): Promise<TopUpStatus> {
    return this.route(request, (p) => p.topUpStatus(request));
  }

  /** A new eSIM from the plan's provider, or the eSIM partner. */
  async orderEsim(request: NewEsimRequest): Promise<NewEsimStatus> {
    const provider = request.provider ? this.byName.get(request.provider) : this.byKind.iccid;
    if (!provider?.orderEsim)
      return {
        status: 'failed',
        reason: `provider "${request.provider ?? 'iccid'}" sells no new eSIMs`,
        retryable: false,
      };
    return provider.orderEsim(request);
  }

  async installSteps(iccid: string, language: string): Promise<InstallSteps | null> {
    return (await this.byKind.iccid.installSteps?.(iccid, language)) ?? null;
  }

  async refundEsim(iccid: string, note: string): Promise<PartnerRefund> {
    return (
      (await this.byKind.iccid.refundEsim?.(iccid, note)) ?? { ok: false, reason: 'the eSIM partner takes no refunds' }
    );
  }

  async usage(identifier: string, kind: Kind): Promise<Usage | null> {
    return (await this.byKind[kind].usage?.(identifier, kind)) ?? null;
  }

  /** Whether lines of this kind report usage at all. */
  reportsUsage(kind: Kind): boolean {
    return typeof this.byKind[kind].usage === 'function';
  }

  pushesLowData(kind: Kind): boolean {
    return this.byKind[kind].pushesLowData?.(kind) ?? false;
  }

  private async route(
    request: TopUpRequest,
    call: (provider: ProviderGateway) => Promise<TopUpStatus>,
  ): Promise<TopUpStatus> {
    if (!request.provider) return call(this.byKind[request.kind]);
    const provider = this.byName.get(request.provider);
    // A plan for a provider this instance is not configured for cannot be bought here: the traveller is refunded.
    if (!provider)
      return {
        status: 'failed',
        providerRef: null,
        reason: `provider "${request.provider}" is not configured`,
        retryable: false,
      };
    return call(provider);
  }
}
