import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { midtransProcessor, midtransTerms } from '../../src/adapters/midtrans/midtrans-processor.js';
import { MIDTRANS_METHODS, type MidtransMethod } from '../../src/domain/midtrans.js';
import { isPaymentMethodId, type MethodTerms, type PaymentMethodId } from '../../src/domain/payment-methods.js';
import { STARS_TERMS } from '../../src/domain/stars.js';
import type { MidtransGateway } from '../../src/services/ports/midtrans-gateway.js';
import { starsProcessor } from '../../src/services/stars/processor.js';
import { STRIPE_METHOD_TERMS } from '../../src/services/stripe/methods.js';

/** Every processor's declared terms, as the summary reads them, by the processor README names. */
const PROFILES: { processor: RegExp; methods: readonly MethodTerms[] }[] = [
  { processor: /^Stripe Checkout/, methods: STRIPE_METHOD_TERMS },
  { processor: /^Midtrans Snap$/, methods: midtransTerms(MIDTRANS_METHODS) },
  { processor: /^Telegram Stars/, methods: starsProcessor({} as never).profile.methods },
];

/** README's "Payment methods" table, a row per line: each row's method ids and its other cells. */
function readmeRows() {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Payment methods'));
  const lines = section.split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, i) => i > first && !line.startsWith('|'));
  const table = lines.slice(first, end);
  return table.slice(2).map((line) => {
    const [method, processor, currencies, refund, pending] = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const ids = [...method!.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!).filter(isPaymentMethodId);
    return { ids, processor: processor!, currencies: currencies!, refund: refund!, pending: pending! };
  });
}

/** "15 min", "up to 24 h, never past…", "15 min, 5 min", "none": each duration in the cell, in ms. */
function durations(cell: string): number[] {
  if (cell === 'none') return [0];
  return [...cell.matchAll(/(\d+)\s*(min|h)\b/g)].map((m) => Number(m[1]) * (m[2] === 'h' ? 3_600_000 : 60_000));
}

describe("README's Payment methods table says what each processor's profile declares (issue 22)", () => {
  const rows = readmeRows();
  const terms = (method: PaymentMethodId) => {
    const owner = PROFILES.find((p) => p.methods.some((t) => t.method === method));
    return owner && { processor: owner.processor, ...owner.methods.find((t) => t.method === method)! };
  };

  it('lists every method a processor declares, Telegram Stars included, once', () => {
    const listed = rows.flatMap((r) => r.ids).sort();
    const declared = PROFILES.flatMap((p) => p.methods.map((t) => t.method)).sort();
    expect(listed).toEqual(declared);
    expect(listed).toContain('stars');
  });

  it.each(readmeRows().map((r) => [r.ids.join(', '), r] as const))(
    '%s: its processor, currencies, refund (through the API or owed) and pending time',
    (_, row) => {
      const pending = durations(row.pending);
      expect(pending.length === 1 || pending.length === row.ids.length).toBe(true);
      row.ids.forEach((id, i) => {
        const declared = terms(id)!;
        expect(row.processor).toMatch(declared.processor);
        const codes = row.currencies.match(/\b[A-Z]{3}\b/g) ?? [];
        expect(declared.currencies === 'any' ? [] : [...declared.currencies].sort()).toEqual([...codes].sort());
        // What the traveller and the operator meet when it is given back: the API, or "owed" and paid by hand.
        expect(row.refund).toMatch(
          declared.refund === 'api' ? /^through the (Bot )?API$/ : /^owed \(paid back by hand/,
        );
        expect(pending.length === 1 ? pending[0] : pending[i]).toBe(declared.pendingMs);
      });
    },
  );
});

describe('a refund goes the way the method profile says', () => {
  /** Midtrans as far as a refund needs it: each refund asked for is counted. */
  const gateway = () => {
    const asked: string[] = [];
    const midtrans = {
      refund: async (request: { orderId: string }) => {
        asked.push(request.orderId);
        return { ok: true };
      },
    } as unknown as MidtransGateway;
    return { asked, midtrans };
  };

  it.each(MIDTRANS_METHODS.filter((m): m is MidtransMethod & PaymentMethodId => isPaymentMethodId(m)))(
    '%s: refunded through the API when its profile says api, else owed with no call to Midtrans',
    async (method) => {
      const { asked, midtrans } = gateway();
      const processor = midtransProcessor(midtrans, MIDTRANS_METHODS);
      const declared = processor.profile.methods.find((t) => t.method === method)!;
      const result = await processor.refund({
        orderId: 'order1',
        paymentId: `pay-${method}`,
        method,
        amount: { amountMinor: 35_000, currency: 'IDR' },
      });
      expect(result.status).toBe(declared.refund === 'api' ? 'refunded' : 'owed');
      expect(asked).toEqual(declared.refund === 'api' ? [`pay-${method}`] : []);
    },
  );

  it('gives Stars back through the Bot API, to the traveller who paid, as their profile says', async () => {
    const refunds: [number, string][] = [];
    const processor = starsProcessor({
      createInvoiceLink: async () => 'https://t.me/$invoice',
      refund: async (user, charge) => void refunds.push([user, charge]),
      cancelSubscription: async () => {},
    });
    expect(processor.profile.methods).toEqual([STARS_TERMS]);
    expect(STARS_TERMS).toMatchObject({ currencies: ['XTR'], refund: 'api', pendingMs: 0 });
    const result = await processor.refund({
      orderId: 'order1',
      paymentId: 'charge1',
      method: 'stars',
      amount: { amountMinor: 120, currency: 'XTR' },
      payerTelegramId: 4242,
    });
    expect(result).toEqual({ status: 'refunded' });
    expect(refunds).toEqual([[4242, 'charge1']]);
  });
});
