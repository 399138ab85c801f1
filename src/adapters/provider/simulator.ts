import { randomInt, randomUUID } from 'node:crypto';
import type { EsimSeller } from '../../services/ports/esim-sales.js';
import { simulatorEsimSeller } from './simulator-esims.js';
import type {
  LineInfo,
  Package,
  ProviderGateway,
  TopUpRequest,
  TopUpStatus,
  Usage,
} from '../../services/ports/provider-gateway.js';

/**
 * A deterministic stand-in provider: the bot runs and demos with no wholesale contract.
 * Like Digiflazz's test numbers, the last digits of a line script the outcome:
 *   …0000  the provider does not know the line
 *   …1111  every top-up fails (the traveller is refunded)
 *   …2222  the top-up is pending, then succeeds on the next status check
 *   …3333  the top-up is pending, then fails
 * Any other line succeeds. Its plan expires (last digit + 1) days from "now".
 * It reports data usage: what setRemainingData() set, and nothing after a top-up (a fresh plan).
 */
export class SimulatorGateway implements ProviderGateway {
  readonly name = 'simulator';
  private readonly codes = new Map<string, { identifier: string; code: string }>();
  private readonly topUps = new Map<string, TopUpStatus>();
  private readonly checks = new Map<string, number>();
  private readonly remaining = new Map<string, { remainingMb: number; totalMb: number | null }>();
  /** Codes "sent by SMS", for tests and demos to read. */
  readonly outbox: Array<{ identifier: string; code: string }> = [];

  private readonly esims = simulatorEsimSeller();
  /** New eSIMs, scripted by package (simulator-esims.ts). */
  readonly orderEsim: EsimSeller['orderEsim'] = (request) => this.esims.orderEsim(request);
  readonly installSteps: EsimSeller['installSteps'] = (iccid, language) => this.esims.installSteps(iccid, language);
  readonly refundEsim: EsimSeller['refundEsim'] = (iccid, note) => this.esims.refundEsim(iccid, note);

  constructor(private readonly options: { fixedCode?: string; now?: () => Date } = {}) {}

  /** How many new eSIMs the simulator "bought" (a retry that finds its order buys none). */
  newEsimsPlaced(): number {
    return this.esims.ordersPlaced();
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  async lookupLine(identifier: string): Promise<LineInfo | null> {
    if (identifier.endsWith('0000')) return null;
    const days = Number(identifier.at(-1)) + 1;
    return {
      carrier: identifier.startsWith('89') ? 'esim' : 'axis',
      planCode: null,
      expiresAt: new Date(this.now().getTime() + days * 86_400_000),
    };
  }

  async sendCode(identifier: string): Promise<{ reference: string }> {
    const code = this.options.fixedCode ?? String(randomInt(0, 1_000_000)).padStart(6, '0');
    const reference = randomUUID();
    this.codes.set(reference, { identifier, code });
    this.outbox.push({ identifier, code });
    return { reference };
  }

  async checkCode(reference: string, code: string): Promise<boolean> {
    return this.codes.get(reference)?.code === code;
  }

  lastCodeFor(identifier: string): string | undefined {
    return this.outbox.filter((c) => c.identifier === identifier).at(-1)?.code;
  }

  /** Scripts the data left on a line, as the operator's usage report would give it. */
  setRemainingData(identifier: string, mb: number, totalMb: number | null = null): void {
    this.remaining.set(identifier, { remainingMb: mb, totalMb });
  }

  async usage(identifier: string): Promise<Usage | null> {
    const scripted = this.remaining.get(identifier);
    return scripted
      ? { ...scripted, unlimited: false, expiresAt: null, status: scripted.remainingMb > 0 ? 'ACTIVE' : 'FINISHED' }
      : null;
  }

  pushesLowData(): boolean {
    return false;
  }

  private packages: Package[] = [];
  private deposit = 10_000_000;

  /** Scripts the wholesale price list (empty by default: the simulator publishes none). */
  setPackages(packages: Package[]): void {
    this.packages = packages;
  }

  async listPackages(carrier: string): Promise<Package[]> {
    return carrier ? this.packages : [];
  }

  /** Scripts the operator's deposit (IDR 10,000,000 at start); at 0 or less, top-ups are refused (retryable). */
  setBalance(amountMinor: number): void {
    this.deposit = amountMinor;
  }

  async balance(): Promise<{ amountMinor: number; currency: string }> {
    return { amountMinor: this.deposit, currency: 'IDR' };
  }

  async topUp(request: TopUpRequest): Promise<TopUpStatus> {
    const existing = this.topUps.get(request.reference);
    if (existing) return existing;
    // Like Digiflazz's rc 44: refused before it is recorded, so the same reference may be tried again.
    if (this.deposit <= 0)
      return { status: 'failed', providerRef: null, reason: 'rc 44: insufficient deposit', retryable: true };
    const providerRef = `SIM-${request.reference.slice(-10)}`;
    let status: TopUpStatus;
    if (request.identifier.endsWith('1111'))
      status = { status: 'failed', providerRef, reason: 'simulated failure', retryable: false };
    else if (request.identifier.endsWith('2222') || request.identifier.endsWith('3333'))
      status = { status: 'pending', providerRef };
    else {
      status = { status: 'success', providerRef, expiresAt: null };
      this.remaining.delete(request.identifier);
    }
    this.topUps.set(request.reference, status);
    return status;
  }

  async topUpStatus(request: TopUpRequest): Promise<TopUpStatus> {
    const current = this.topUps.get(request.reference);
    if (!current) return this.topUp(request);
    if (current.status !== 'pending') return current;
    const checks = (this.checks.get(request.reference) ?? 0) + 1;
    this.checks.set(request.reference, checks);
    const settled: TopUpStatus = request.identifier.endsWith('3333')
      ? {
          status: 'failed',
          providerRef: current.providerRef,
          reason: 'simulated failure after pending',
          retryable: false,
        }
      : { status: 'success', providerRef: current.providerRef ?? 'SIM', expiresAt: null };
    this.topUps.set(request.reference, settled);
    return settled;
  }
}
