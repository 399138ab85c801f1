export const PLAN_KINDS = ['daily', 'weekly', 'monthly'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

export type PlanView = {
  code: string;
  carrier: string;
  kind: PlanKind;
  dataMb: number | null;
  validityDays: number;
  priceMinor: number;
  currency: string;
  altPriceMinor: number | null;
  altCurrency: string | null;
  names: Record<string, string>;
};

export function groupByKind<T extends { kind: PlanKind }>(plans: T[]): Array<{ kind: PlanKind; plans: T[] }> {
  return PLAN_KINDS.map((kind) => ({ kind, plans: plans.filter((p) => p.kind === kind) })).filter(
    (g) => g.plans.length > 0,
  );
}

export function planName(plan: Pick<PlanView, 'names' | 'code'>, language: string): string {
  return plan.names[language] ?? plan.names[language.split('-')[0]!] ?? plan.names.en ?? plan.code;
}
