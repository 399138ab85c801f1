import { amountText, parseAmount } from '../../domain/amount-input.js';
import { CARRIERS } from '../../domain/msisdn.js';
import { PLAN_KINDS } from '../../domain/plan.js';
import { priceMap } from '../../domain/plan-prices.js';
import { CatalogError, parseCatalog, type CatalogEntry } from '../catalog/catalog.js';

export const PROVIDERS = ['simulator', 'digiflazz', 'airalo'] as const;
/** How many further currencies the form offers at once (the catalog file allows 20). */
export const PRICE_ROWS = 6;

/** A plan as its form holds it: text as typed, so a refused form comes back as the operator left it. */
export type PlanForm = {
  code: string;
  carrier: string;
  kind: string;
  dataMb: string;
  validityDays: string;
  graceDays: string;
  price: { amount: string; currency: string };
  altPrice: { amount: string; currency: string };
  prices: Array<{ amount: string; currency: string }>;
  starsPrice: string;
  cost: string;
  provider: string;
  providerSku: string;
  names: Record<string, string>;
  active: boolean;
};

/** What is wrong, by the form field it is about (`prices.2.currency`), as a code the console translates. */
export type PlanProblem =
  | 'code_format'
  | 'code_taken'
  | 'name_required'
  | 'name_too_long'
  | 'amount'
  | 'currency'
  | 'currency_twice'
  | 'below_cost'
  | 'stars'
  | 'whole_days'
  | 'data'
  | 'required'
  | 'invalid';
export type PlanProblems = Record<string, PlanProblem>;

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const whole = (s: string, min: number, max: number) => {
  const n = /^\d+$/.test(s.trim()) ? Number(s.trim()) : NaN;
  return n >= min && n <= max ? n : null;
};

/** Reads a form into a catalog entry, each problem against its field; the entry passes `catalog:load`'s checks too. */
export function readPlanForm(f: PlanForm): { ok: true; entry: CatalogEntry } | { ok: false; problems: PlanProblems } {
  const problems: PlanProblems = {};
  const code = f.code.trim();
  if (!/^[a-z0-9][a-z0-9-]{1,40}$/.test(code)) problems.code = 'code_format';
  const names = Object.fromEntries(
    Object.entries(f.names)
      .map(([l, n]) => [l, n.trim()] as const)
      .filter(([, n]) => n),
  );
  if (!names.en) problems['names.en'] = 'name_required';
  for (const [l, n] of Object.entries(names)) if (n.length > 60) problems[`names.${l}`] = 'name_too_long';

  const seen = new Set<string>();
  const money = (field: string, p: { amount: string; currency: string }, optional: boolean) => {
    const currency = p.currency.trim().toUpperCase();
    if (optional && !p.amount.trim() && !currency) return undefined;
    if (!CURRENCIES.has(currency)) problems[`${field}.currency`] = 'currency';
    else if (seen.has(currency)) problems[`${field}.currency`] = 'currency_twice';
    seen.add(currency);
    const amount = parseAmount(p.amount, currency || 'USD');
    if (amount === null) problems[`${field}.amount`] = 'amount';
    return amount === null ? undefined : { amount, currency };
  };
  const price = money('price', f.price, false);
  const altPrice = money('altPrice', f.altPrice, true);
  const prices = f.prices.flatMap((p, i) => money(`prices.${i}`, p, true) ?? []);

  let cost: { amount: number; currency: string } | undefined;
  if (f.cost.trim() && price) {
    const amount = parseAmount(f.cost, price.currency);
    if (amount === null) problems.cost = 'amount';
    else if (amount > price.amount) problems.cost = 'below_cost';
    else cost = { amount, currency: price.currency };
  }
  const starsPrice = f.starsPrice.trim() ? whole(f.starsPrice, 1, 100_000) : undefined;
  if (starsPrice === null) problems.starsPrice = 'stars';
  const validityDays = whole(f.validityDays, 1, 365);
  if (validityDays === null) problems.validityDays = 'whole_days';
  const graceDays = f.graceDays.trim() ? whole(f.graceDays, 0, 365) : undefined;
  if (graceDays === null) problems.graceDays = 'whole_days';
  const dataMb = f.dataMb.trim() ? whole(f.dataMb, 1, 10_000_000) : null;
  if (dataMb === null && f.dataMb.trim()) problems.dataMb = 'data';
  const providerSku = f.providerSku.trim();
  if (!providerSku) problems.providerSku = 'required';
  if (!(CARRIERS as readonly string[]).includes(f.carrier)) problems.carrier = 'required';
  if (!(PLAN_KINDS as readonly string[]).includes(f.kind)) problems.kind = 'required';
  if (Object.keys(problems).length) return { ok: false, problems };

  const entry = {
    code,
    carrier: f.carrier,
    kind: f.kind,
    dataMb,
    validityDays: validityDays!,
    price: price!,
    ...(altPrice ? { altPrice } : {}),
    ...(prices.length ? { prices } : {}),
    ...(starsPrice ? { starsPrice } : {}),
    providerSku,
    ...(cost ? { cost } : {}),
    ...(f.provider ? { provider: f.provider } : {}),
    names,
    ...(graceDays !== undefined ? { graceDays } : {}),
    active: f.active,
  };
  // The file's own rules have the last word, so the console cannot save what `catalog:load` would refuse.
  try {
    return { ok: true, entry: parseCatalog({ plans: [entry] })[0]! };
  } catch (error) {
    if (error instanceof CatalogError) return { ok: false, problems: { form: 'invalid' } };
    throw error;
  }
}

/** A stored plan in the catalog file's shape: what export writes and `catalog:load` reads back unchanged. */
export type PlanRecord = {
  code: string;
  carrier: string;
  kind: string;
  dataMb: number | null;
  validityDays: number;
  priceMinor: number;
  currency: string;
  altPriceMinor: number | null;
  altCurrency: string | null;
  prices: unknown;
  starsPrice: number | null;
  providerSku: string;
  costMinor: number | null;
  provider: string | null;
  names: unknown;
  graceDays: number | null;
  active: boolean;
};

export function catalogEntryOf(p: PlanRecord) {
  const prices = Object.entries(priceMap(p.prices))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amount]) => ({ amount, currency }));
  return {
    code: p.code,
    carrier: p.carrier,
    kind: p.kind,
    dataMb: p.dataMb,
    validityDays: p.validityDays,
    price: { amount: p.priceMinor, currency: p.currency },
    ...(p.altPriceMinor && p.altCurrency ? { altPrice: { amount: p.altPriceMinor, currency: p.altCurrency } } : {}),
    ...(prices.length ? { prices } : {}),
    ...(p.starsPrice ? { starsPrice: p.starsPrice } : {}),
    providerSku: p.providerSku,
    ...(p.costMinor !== null ? { cost: { amount: p.costMinor, currency: p.currency } } : {}),
    ...(p.provider ? { provider: p.provider } : {}),
    names: p.names as Record<string, string>,
    ...(p.graceDays !== null ? { graceDays: p.graceDays } : {}),
    active: p.active,
  };
}

const typed = (m: { amount: number; currency: string } | undefined) =>
  m ? { amount: amountText(m.amount, m.currency), currency: m.currency } : { amount: '', currency: '' };

/** The form of a stored plan, or a blank one (IDR, on sale) for a new plan. */
export function planFormOf(p: PlanRecord | null): PlanForm {
  if (!p)
    return {
      code: '',
      carrier: CARRIERS[0],
      kind: PLAN_KINDS[0],
      dataMb: '',
      validityDays: '',
      graceDays: '',
      price: { amount: '', currency: 'IDR' },
      altPrice: { amount: '', currency: '' },
      prices: [],
      starsPrice: '',
      cost: '',
      provider: '',
      providerSku: '',
      names: {},
      active: true,
    };
  const e = catalogEntryOf(p);
  return {
    code: e.code,
    carrier: e.carrier,
    kind: e.kind,
    dataMb: e.dataMb === null ? '' : String(e.dataMb),
    validityDays: String(e.validityDays),
    graceDays: e.graceDays === undefined ? '' : String(e.graceDays),
    price: typed(e.price),
    altPrice: typed(e.altPrice),
    prices: (e.prices ?? []).map(typed),
    starsPrice: e.starsPrice ? String(e.starsPrice) : '',
    cost: e.cost ? amountText(e.cost.amount, e.cost.currency) : '',
    provider: e.provider ?? '',
    providerSku: e.providerSku,
    names: e.names,
    active: e.active,
  };
}
