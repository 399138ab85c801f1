import { destinationKey, packageDestination } from '../../domain/destinations.js';
import { allPrices } from '../../domain/plan-prices.js';
import type { Db } from '../../adapters/db/client.js';
import type { Package, ProviderGateway } from '../ports/provider-gateway.js';
import { margin } from '../../domain/console.js';
import type { Money } from '../../domain/money.js';
import { audit } from '../audit.js';
import {
  CatalogError,
  catalogChanges,
  type CatalogChanges,
  parseCatalog,
  type CatalogService,
} from '../catalog/catalog.js';
import { planEditing } from './plan-editing.js';

export type { PlanChange } from '../catalog/catalog.js';

export type PlanRow = {
  code: string;
  carrier: string;
  kind: string;
  name: string;
  price: Money;
  /** The second price and those in further currencies (methods that settle in them charge them). */
  otherPrices: Money[];
  active: boolean;
  providerSku: string;
  cost: Money | null;
  providerAvailable: boolean | null;
  margin: { amountMinor: number; percent: number; belowCost: boolean } | null;
  /** Set by the partner sync: waiting for approval (switch on to approve), gone from the list, cost changed from. */
  held: boolean;
  gone: boolean;
  costChangedFrom: Money | null;
  /** A new-eSIM package's destination ("JP", "region:asia"), for grouping; null for other plans. */
  destination: string | null;
};

/** A new-eSIM package's destination key, from the countries the sync stored; null for other plans. */
function esimDestination(p: { packageType: string | null; countries: string | null }): string | null {
  if (p.packageType !== 'sim' || !p.countries) return null;
  const destination = packageDestination(p.countries.split(',').filter(Boolean));
  return destination && destinationKey(destination);
}

export type CatalogPreview = { ok: false; problems: string[] } | ({ ok: true } & CatalogChanges);

/**
 * The catalog as an operator runs it: each plan beside its wholesale cost where the provider
 * publishes a price list, plans sold below cost flagged; switching a plan off or on; importing a
 * file through the same validation as `catalog:load`, previewed before it applies.
 */
export function createConsoleCatalog(deps: { db: Db; provider: ProviderGateway; catalog: CatalogService }) {
  const { db, provider } = deps;

  async function priceList(carriers: string[]): Promise<Map<string, Package> | null> {
    try {
      const lists = await Promise.all(carriers.map((c) => provider.listPackages(c)));
      return new Map(lists.flat().map((p) => [p.sku, p]));
    } catch {
      return null; // the provider is down: plans show without their cost
    }
  }

  return {
    ...planEditing(deps),
    async plans(language: string): Promise<{ plans: PlanRow[]; priceListAvailable: boolean }> {
      const plans = await db.plan.findMany({ orderBy: [{ carrier: 'asc' }, { sortOrder: 'asc' }] });
      // A partner's packages carry their cost from the hourly sync: its list is not walked on every page view.
      const synced = new Set(plans.filter((p) => p.packageType).map((p) => p.carrier));
      const packages = await priceList([...new Set(plans.map((p) => p.carrier))].filter((c) => !synced.has(c)));
      return {
        priceListAvailable: packages !== null && packages.size > 0,
        plans: plans.map((p) => {
          const pkg = packages?.get(p.providerSku) ?? null;
          const price = { amountMinor: p.priceMinor, currency: p.currency };
          const stored =
            p.packageType && p.costMinor !== null ? { amountMinor: p.costMinor, currency: p.currency } : null;
          const cost = pkg ? { amountMinor: pkg.priceMinor, currency: pkg.currency } : stored;
          const names = p.names as Record<string, string>;
          return {
            code: p.code,
            carrier: p.carrier,
            kind: p.kind,
            name: names[language] ?? names.en ?? p.code,
            price,
            otherPrices: allPrices(p).slice(1),
            active: p.active,
            providerSku: p.providerSku,
            cost,
            providerAvailable: pkg ? pkg.available : null,
            margin: margin(price, cost),
            held: p.heldAt !== null,
            gone: p.goneAt !== null,
            costChangedFrom:
              p.costChangedAt && p.previousCostMinor !== null
                ? { amountMinor: p.previousCostMinor, currency: p.currency }
                : null,
            destination: esimDestination(p),
          };
        }),
      };
    },

    async setActive(operatorId: number, code: string, active: boolean): Promise<boolean> {
      const plan = await db.plan.findUnique({ where: { code }, select: { active: true } });
      if (!plan) return false;
      // Switching on a package the sync held is its approval.
      await db.plan.update({ where: { code }, data: { active, ...(active ? { heldAt: null } : {}) } });
      deps.catalog.changed();
      await audit(db, {
        actorId: operatorId,
        action: 'plan.switch',
        subject: code,
        before: { active: plan.active },
        after: { active },
      });
      return true;
    },

    /** What applying the file would change; nothing is written. */
    async preview(json: unknown): Promise<CatalogPreview> {
      let entries;
      try {
        entries = parseCatalog(json);
      } catch (error) {
        if (error instanceof CatalogError) return { ok: false, problems: error.problems };
        throw error;
      }
      return { ok: true, ...(await catalogChanges(db, entries)) };
    },

    async apply(operatorId: number, json: unknown): Promise<CatalogPreview> {
      const preview = await this.preview(json);
      if (!preview.ok) return preview;
      await deps.catalog.load(parseCatalog(json));
      await audit(db, { actorId: operatorId, action: 'catalog.import', before: null, after: preview });
      return preview;
    },
  };
}

export type ConsoleCatalog = ReturnType<typeof createConsoleCatalog>;
