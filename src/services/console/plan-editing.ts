import type { Db } from '../../adapters/db/client.js';
import { audit } from '../audit.js';
import { planColumns, type CatalogEntry, type CatalogService } from '../catalog/catalog.js';
import { planAuditChange } from './plan-audit.js';
import { catalogEntryOf, planFormOf, readPlanForm, type PlanForm, type PlanProblems } from './plan-form.js';

export type PlanSaved = { ok: true; code: string; changed: boolean } | { ok: false; problems: PlanProblems };

/**
 * One plan edited or added from the console, and the whole catalog exported as the file `catalog:load`
 * takes. Orders keep the prices frozen in them when they were confirmed, so an edit reaches only the
 * orders made after it.
 */
export function planEditing(deps: { db: Db; catalog: CatalogService }) {
  const { db } = deps;
  return {
    /** Every plan, in the catalog's order: loading this file back changes nothing. */
    async exportFile(): Promise<{ plans: Array<ReturnType<typeof catalogEntryOf>> }> {
      const rows = await db.plan.findMany({ orderBy: [{ sortOrder: 'asc' }, { code: 'asc' }] });
      return { plans: rows.map(catalogEntryOf) };
    },

    /** The plan's form as stored, or null when there is no such plan; a blank form for `null`. */
    async form(code: string | null): Promise<PlanForm | null> {
      if (code === null) return planFormOf(null);
      const row = await db.plan.findUnique({ where: { code } });
      return row ? planFormOf(row) : null;
    },

    /** Saves the form over plan `code`, or adds it as a new plan when `code` is null; audited. */
    async save(operatorId: number, code: string | null, form: PlanForm): Promise<PlanSaved | null> {
      const current = code === null ? null : await db.plan.findUnique({ where: { code } });
      if (code !== null && !current) return null;
      const read = readPlanForm({ ...form, code: current?.code ?? form.code });
      if (!read.ok) return read;
      const entry = read.entry;
      if (!current && (await db.plan.count({ where: { code: entry.code } })))
        return { ok: false, problems: { code: 'code_taken' } };
      // Read as stored, not re-validated: a plan the partner's sync wrote may not pass the file's rules, and is still editable.
      const before = current ? (catalogEntryOf(current) as CatalogEntry) : null;
      const change = planAuditChange(before, entry);
      if (!change) return { ok: true, code: entry.code, changed: false };
      await db.$transaction(async (tx) => {
        const data = planColumns(entry);
        if (current) await tx.plan.update({ where: { code: entry.code }, data });
        else {
          const last = await tx.plan.aggregate({ _max: { sortOrder: true } });
          await tx.plan.create({ data: { code: entry.code, ...data, sortOrder: (last._max.sortOrder ?? -1) + 1 } });
        }
        await audit(tx, {
          actorId: operatorId,
          action: current ? 'plan.edit' : 'plan.add',
          subject: entry.code,
          ...change,
        });
      });
      deps.catalog.changed();
      return { ok: true, code: entry.code, changed: true };
    },
  };
}
