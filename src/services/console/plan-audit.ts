import type { Money } from '../../domain/money.js';
import { sameJson } from '../../domain/same-json.js';
import type { CatalogEntry } from '../catalog/catalog.js';

type Readable = Record<string, unknown>;

const money = (m: { amount: number; currency: string } | undefined): Money | null =>
  m ? { amountMinor: m.amount, currency: m.currency } : null;

/** A plan as the audit log shows it: prices as money, the catalog file's field names. */
function readable(e: CatalogEntry): Readable {
  return {
    names: e.names,
    price: money(e.price),
    altPrice: money(e.altPrice),
    prices: (e.prices ?? []).map(money).sort((a, b) => a!.currency.localeCompare(b!.currency)),
    cost: money(e.cost),
    starsPrice: e.starsPrice ?? null,
    provider: e.provider ?? null,
    providerSku: e.providerSku,
    carrier: e.carrier,
    kind: e.kind,
    dataMb: e.dataMb,
    validityDays: e.validityDays,
    graceDays: e.graceDays ?? null,
    active: e.active,
  };
}

/**
 * Before and after of a plan's edit, only what changed (a name only in the languages that changed), in a
 * shape the audit page reads out; null when nothing changed. A new plan has no before.
 */
export function planAuditChange(
  before: CatalogEntry | null,
  after: CatalogEntry,
): { before: Readable | null; after: Readable } | null {
  const next = readable(after);
  if (!before) return { before: null, after: next };
  const was = readable(before);
  const out = { before: {} as Readable, after: {} as Readable };
  for (const key of Object.keys(next)) {
    if (sameJson(was[key], next[key])) continue;
    if (key === 'names') {
      const [a, b] = [was.names as Record<string, string>, next.names as Record<string, string>];
      const langs = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((l) => a[l] !== b[l]);
      out.before.names = Object.fromEntries(langs.map((l) => [l, a[l] ?? '']));
      out.after.names = Object.fromEntries(langs.map((l) => [l, b[l] ?? '']));
      continue;
    }
    out.before[key] = was[key];
    out.after[key] = next[key];
  }
  return Object.keys(out.after).length ? out : null;
}
