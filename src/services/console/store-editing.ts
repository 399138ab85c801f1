import type { Db } from '../../adapters/db/client.js';
import { sameJson } from '../../domain/same-json.js';
import type { WeeklyHours } from '../../domain/stores.js';
import { audit } from '../audit.js';
import { readStoreForm, storeFormOf, type StoreForm, type StoreProblems, type StoreRecord } from './store-form.js';

export type StoreSaved = { ok: true; id: string; changed: boolean } | { ok: false; problems: StoreProblems };

type Row = Omit<StoreRecord, 'hours' | 'carriers' | 'sells'> & { hours: unknown; carriers: unknown; sells: unknown };
const record = (s: Row): StoreRecord => ({
  ...s,
  hours: s.hours as WeeklyHours,
  carriers: s.carriers as string[],
  sells: s.sells as string[],
});

/** A store as the audit log shows it: its place as one value, hours only for the days that changed. */
function auditChange(before: StoreRecord | null, after: StoreRecord) {
  const view = (s: StoreRecord): Record<string, unknown> => ({
    name: s.name,
    city: s.city,
    address: s.address,
    location: { lat: s.lat, lng: s.lng },
    timezone: s.timezone,
    hours: s.hours,
    carriers: s.carriers,
    sells: s.sells,
    phone: s.phone,
    active: s.active,
  });
  const next = view(after);
  if (!before) return { before: null, after: next };
  const was = view(before);
  const out = { before: {} as Record<string, unknown>, after: {} as Record<string, unknown> };
  for (const key of Object.keys(next)) {
    if (sameJson(was[key], next[key])) continue;
    if (key === 'hours') {
      const days = Object.keys(after.hours).filter(
        (d) => !sameJson(before.hours[d as keyof WeeklyHours], after.hours[d as keyof WeeklyHours]),
      );
      out.before.hours = Object.fromEntries(days.map((d) => [d, before.hours[d as keyof WeeklyHours]]));
      out.after.hours = Object.fromEntries(days.map((d) => [d, after.hours[d as keyof WeeklyHours]]));
      continue;
    }
    out.before[key] = was[key];
    out.after[key] = next[key];
  }
  return Object.keys(out.after).length ? out : null;
}

/**
 * Partner stores added, edited and switched off from the console, each change audited. The chat reads
 * stores from the database, so a change shows at the traveller's next search.
 */
export function storeEditing(deps: { db: Db }) {
  const { db } = deps;
  const find = async (id: string) => {
    const row = await db.store.findUnique({ where: { id } });
    return row ? record(row) : null;
  };
  return {
    async form(id: string | null): Promise<StoreForm | null> {
      if (id === null) return storeFormOf(null);
      const s = await find(id);
      return s ? storeFormOf(s) : null;
    },

    async save(operatorId: number, id: string | null, form: StoreForm): Promise<StoreSaved | null> {
      const current = id === null ? null : await find(id);
      if (id !== null && !current) return null;
      const read = readStoreForm({ ...form, id: current?.id ?? form.id });
      if (!read.ok) return read;
      const next = read.store;
      if (!current && (await db.store.count({ where: { id: next.id } })))
        return { ok: false, problems: { id: 'code_taken' } };
      const change = auditChange(current, next);
      if (!change) return { ok: true, id: next.id, changed: false };
      const { id: storeId, ...data } = next;
      await db.$transaction(async (tx) => {
        await tx.store.upsert({ where: { id: storeId }, create: next, update: data });
        await audit(tx, {
          actorId: operatorId,
          action: current ? 'store.edit' : 'store.add',
          subject: storeId,
          ...change,
        });
      });
      return { ok: true, id: storeId, changed: true };
    },

    async setActive(operatorId: number, id: string, active: boolean): Promise<boolean> {
      const store = await db.store.findUnique({ where: { id }, select: { active: true } });
      if (!store) return false;
      if (store.active === active) return true;
      await db.$transaction(async (tx) => {
        await tx.store.update({ where: { id }, data: { active } });
        await audit(tx, {
          actorId: operatorId,
          action: 'store.switch',
          subject: id,
          before: { active: store.active },
          after: { active },
        });
      });
      return true;
    },
  };
}
