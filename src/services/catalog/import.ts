import type { Db } from '../../adapters/db/client.js';
import type { Package } from '../ports/provider-gateway.js';
import type { PlanKind } from '../../domain/plan.js';
import { priceMap, type PriceMap } from '../../domain/plan-prices.js';
import { priceFor, pricesAt, type ExchangeRates, type MarginRule } from '../../domain/pricing.js';
import { cleanText, cutGraphemes } from '../../domain/text.js';

export type ImportedPlan = {
  code: string;
  priceMinor: number;
  costMinor: number;
  currency: string;
  active: boolean;
  change: 'created' | 'held' | 'updated' | 'repriced' | 'hidden';
  /** With exchange rates: the plan's prices in other currencies now, and before this import. */
  prices?: PriceMap;
  previousPrices?: PriceMap;
};
export type ImportResult = { plans: ImportedPlan[]; skipped: string[] };

/** How the import treats what is new and what is missing (the hourly sync's settings). */
export type ImportPolicy = {
  /** New packages wait, switched off, for the operator's approval instead of going on sale. */
  holdNew?: boolean;
  /** Plans of this provider missing from the list are hidden from sale (never deleted: orders refer to them). */
  hideMissing?: boolean;
  now?: () => Date;
};
/** A plan's price beside its wholesale cost, for the operator. */
export type PlanPricing = {
  code: string;
  carrier: string;
  provider: string | null;
  currency: string;
  priceMinor: number;
  costMinor: number | null;
  marginPercent: number | null;
  active: boolean;
};

const kindFor = (days: number): PlanKind => (days <= 1 ? 'daily' : days <= 7 ? 'weekly' : 'monthly');
const codeFor = (provider: string, sku: string) =>
  `${provider}-${sku
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`.slice(0, 41);

/**
 * Prices a provider's package list into the catalog: each price is the wholesale cost under the
 * operator's margin rule (never below the provider's minimum retail price), and the cost is kept
 * beside it. A package the catalog already sells (same provider SKU) keeps its code and names and
 * gets the new cost and price; an unavailable one is switched off. Packages that describe their
 * data and validity (eSIM partners) become new plans; bare price-list entries (Digiflazz-style)
 * only update plans the operator already has, and the rest are listed as skipped.
 */
export function createCatalogImport(deps: { db: Db }) {
  const { db } = deps;
  return {
    /** Every plan's price and wholesale cost (where known), as the operator's console shows them. */
    async pricing(): Promise<PlanPricing[]> {
      const plans = await db.plan.findMany({ orderBy: [{ carrier: 'asc' }, { sortOrder: 'asc' }] });
      return plans.map((p) => ({
        code: p.code,
        carrier: p.carrier,
        provider: p.provider,
        currency: p.currency,
        priceMinor: p.priceMinor,
        costMinor: p.costMinor,
        active: p.active,
        marginPercent: p.costMinor ? Math.round(((p.priceMinor - p.costMinor) / p.costMinor) * 1000) / 10 : null,
      }));
    },

    async importPackages(input: {
      provider: string;
      carrier: string;
      packages: Package[];
      rule: MarginRule;
      policy?: ImportPolicy;
      /** Works out every change in a transaction that is then rolled back: the result says what would change. */
      dryRun?: boolean;
      /** Prices in these other currencies too (Plan.prices), from each plan's price at the operator's rates. */
      rates?: ExchangeRates;
    }): Promise<ImportResult> {
      const { provider, carrier, rule } = input;
      const policy = input.policy ?? {};
      const at = (policy.now ?? (() => new Date()))();
      const result: ImportResult = { plans: [], skipped: [] };
      const rollBack = new Error('dry run');
      await db
        .$transaction(async (tx) => {
          const count = await tx.plan.count();
          const listed = new Set<string>();
          for (const [i, p] of input.packages.entries()) {
            listed.add(p.sku);
            const existing = await tx.plan.findFirst({ where: { providerSku: p.sku, carrier } });
            if (existing && existing.currency !== p.currency) {
              result.skipped.push(
                `${p.sku}: the catalog sells it in ${existing.currency}, the provider charges ${p.currency}`,
              );
              continue;
            }
            const priceMinor = priceFor(p.priceMinor, p.currency, rule, p.minRetailMinor);
            const pricing = { priceMinor, costMinor: p.priceMinor, active: p.available };
            const others = input.rates ? pricesAt(priceMinor, p.currency, input.rates) : null;
            const previousPrices = priceMap(existing?.prices);
            // The currencies given are set; any other the plan had stays as it was.
            const prices = others && { ...previousPrices, ...others };
            const shown = prices ? { prices, previousPrices } : {};
            const partner = {
              packageType: p.packageType ?? null,
              packageFamily: p.family ?? null,
              // A new eSIM's coverage, so the chat finds its plans by destination.
              countries: p.packageType === 'sim' && p.countries?.length ? p.countries.join(',') : null,
              activationPolicy: p.packageType === 'sim' ? (p.activationPolicy ?? null) : null,
            };
            if (existing) {
              // A changed cost reprices the plan (orders keep the price they were confirmed at) and is flagged.
              const repriced = existing.costMinor !== null && existing.costMinor !== p.priceMinor;
              await tx.plan.update({
                where: { id: existing.id },
                data: {
                  ...pricing,
                  ...partner,
                  ...(prices && { prices }),
                  // A plan waiting for approval stays off; one that came back to the list is sold again.
                  active: p.available && !existing.heldAt,
                  goneAt: null,
                  ...(repriced ? { previousCostMinor: existing.costMinor, costChangedAt: at } : {}),
                },
              });
              result.plans.push({
                code: existing.code,
                currency: p.currency,
                ...pricing,
                active: p.available && !existing.heldAt,
                change: repriced ? 'repriced' : 'updated',
                ...shown,
              });
              continue;
            }
            if (p.validityDays === undefined || p.dataMb === undefined || !p.title) {
              result.skipped.push(
                `${p.sku}: not in the catalog, and the price list does not say its data and validity; add it to the catalog file first`,
              );
              continue;
            }
            const code = codeFor(provider, p.sku);
            const held = policy.holdNew === true;
            if (held) Object.assign(pricing, { active: false });
            await tx.plan.upsert({
              where: { code },
              create: {
                code,
                carrier,
                kind: kindFor(p.validityDays),
                dataMb: p.dataMb,
                validityDays: p.validityDays,
                currency: p.currency,
                providerSku: p.sku,
                provider,
                // The provider's title, cut between characters to a plan name's length.
                names: { en: cutGraphemes(cleanText(p.title), 60) },
                sortOrder: count + i,
                ...pricing,
                ...partner,
                ...(prices && { prices }),
                heldAt: held ? at : null,
              },
              update: { providerSku: p.sku, provider, ...pricing, ...partner, ...(prices && { prices }) },
            });
            result.plans.push({ code, currency: p.currency, ...pricing, change: held ? 'held' : 'created', ...shown });
          }
          if (policy.hideMissing) {
            const missing = await tx.plan.findMany({
              where: { provider, carrier, goneAt: null, providerSku: { notIn: [...listed] } },
            });
            for (const plan of missing) {
              await tx.plan.update({ where: { id: plan.id }, data: { active: false, goneAt: at } });
              result.plans.push({
                code: plan.code,
                currency: plan.currency,
                priceMinor: plan.priceMinor,
                costMinor: plan.costMinor ?? 0,
                active: false,
                change: 'hidden',
              });
            }
          }
          if (input.dryRun) throw rollBack;
        })
        .catch((error: unknown) => {
          if (error !== rollBack) throw error;
        });
      return result;
    },
  };
}
