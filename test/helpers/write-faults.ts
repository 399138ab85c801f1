import type { Db } from '../../src/adapters/db/client.js';
import { Prisma } from '../../src/adapters/db/generated/sqlite/client.js';

const WRITES = new Set(['create', 'createMany', 'update', 'updateMany', 'upsert', 'delete', 'deleteMany']);
const RAW = ['$queryRaw', '$executeRaw', '$queryRawUnsafe', '$executeRawUnsafe'];
const CHANGES = /^\s*(INSERT|UPDATE|DELETE)\b/i;
/** Every table's delegate (order, ledgerEntry, …): a new table's writes are counted without listing it here. */
const MODELS = Object.values(Prisma.ModelName).map((name) => name[0]!.toLowerCase() + name.slice(1));

/**
 * What happens at the app's `at`th database write from now on:
 * - throw: the write fails once, as a deadlock or a dropped connection would (a transaction it is in rolls back);
 * - kill: the write commits (with the transaction it is in), then the process is dead: nothing after it
 *   runs, every later query of this app never answers, and a transaction under way elsewhere is lost;
 * - hook: `run` starts just before the write (a second delivery, another instance's), and the write goes on.
 */
export type WriteFault =
  | { kind: 'count' }
  | { kind: 'throw'; at: number }
  | { kind: 'kill'; at: number }
  | { kind: 'hook'; at: number; run: () => Promise<unknown> };

export type WriteFaults = {
  /** The writes seen so far (a clean run's count is the number of points to inject at). */
  writes(): number;
  /** Whether the fault was reached. */
  fired(): boolean;
  /** Resolves when a kill has happened (race it against the delivery, which never answers then). */
  died: Promise<void>;
  /** What a hook started, settled (its errors are the app's answers, not the test's). */
  hooked(): Promise<void>;
  /**
   * Takes the wrapper off. After a kill it stays on, and every query left hanging and every later one
   * fails, so the dead app's handlers unwind writing nothing, and the app can be stopped.
   */
  stop(): void;
};

class ProcessDied extends Error {
  code = 'P1017';
}

export function injectWriteFault(db: Db, fault: WriteFault): WriteFaults {
  let count = 0;
  let fired = false;
  let dead = false;
  let buried = false;
  let markDied!: () => void;
  const died = new Promise<void>((resolve) => (markDied = resolve));
  const hanging: Array<(e: Error) => void> = [];
  const hooks: Array<Promise<unknown>> = [];
  const hang = () =>
    buried
      ? Promise.reject(new ProcessDied('the process is dead'))
      : new Promise<never>((_, reject) => hanging.push(reject));
  const die = () => {
    dead = true;
    markDied();
  };

  /** Runs one write; inside a transaction, a kill waits for the transaction to commit. */
  const write = async (perform: () => Promise<unknown>, inTransaction: { killAtCommit: boolean } | null) => {
    if (dead) return inTransaction ? Promise.reject(new ProcessDied('the process is dead')) : hang();
    const n = ++count;
    if (fault.kind === 'count' || n !== fault.at) return perform();
    fired = true;
    if (fault.kind === 'throw') throw Object.assign(new Error(`injected failure at write ${n}`), { code: 'P1017' });
    if (fault.kind === 'hook') {
      hooks.push(fault.run().catch(() => undefined));
      // Let the other delivery get under way before this one goes on.
      await new Promise((r) => setImmediate(r));
      return perform();
    }
    const result = await perform();
    if (inTransaction) {
      inTransaction.killAtCommit = true;
      return result;
    }
    die();
    return hang();
  };

  const wrapDelegate = (delegate: object, inTransaction: { killAtCommit: boolean } | null) =>
    new Proxy(delegate, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        const call = (...args: unknown[]) => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (WRITES.has(String(prop))) return (...args: unknown[]) => write(() => call(...args), inTransaction);
        return (...args: unknown[]) =>
          dead ? (inTransaction ? Promise.reject(new ProcessDied('the process is dead')) : hang()) : call(...args);
      },
    });

  /** A statement inside a transaction that changes rows (the outbox's INSERT … ON CONFLICT) is a write point too. */
  const rawInTransaction = (tx: object, value: unknown, state: { killAtCommit: boolean }) => {
    const run = value as (...a: unknown[]) => Promise<unknown>;
    return (...args: unknown[]) =>
      typeof args[0] === 'string' && CHANGES.test(args[0])
        ? write(() => run.apply(tx, args), state)
        : dead
          ? Promise.reject(new ProcessDied('the process is dead'))
          : run.apply(tx, args);
  };

  const target = db as unknown as Record<string, unknown>;
  const originals = new Map<string, unknown>();
  for (const key of [...MODELS, '$transaction', ...RAW]) originals.set(key, target[key]);
  const replace = (key: string, value: unknown) =>
    Object.defineProperty(target, key, { value, configurable: true, writable: true });

  for (const model of MODELS) replace(model, wrapDelegate(originals.get(model) as object, null));
  // Called with whatever client it was called on. Prisma's transaction client reads `$queryRawUnsafe` and
  // the like from the client it wraps, so it gets this replacement too, and only a call on the transaction
  // client (`this`) runs in the transaction. Bound to `db`, it ran on a pooled connection of its own: on
  // PostgreSQL a transaction's outbox INSERT committed at once, before the order change it belongs to,
  // and a second instance's worker sent "not complete yet" as the receipt (issue 20).
  for (const raw of RAW) {
    const original = originals.get(raw) as (...a: unknown[]) => Promise<unknown>;
    replace(raw, function (this: unknown, ...args: unknown[]) {
      return dead ? hang() : original.apply(this ?? db, args);
    });
  }
  const transaction = originals.get('$transaction') as (...args: unknown[]) => Promise<unknown>;
  replace('$transaction', async (fn: unknown, options?: unknown) => {
    if (dead) return hang();
    if (typeof fn !== 'function') return transaction.call(db, fn, options);
    const state = { killAtCommit: false };
    const result = await transaction.call(
      db,
      (tx: Record<string, unknown>) =>
        (fn as (t: object) => unknown)(
          new Proxy(tx, {
            get(t, prop, receiver) {
              const value = Reflect.get(t, prop, receiver);
              if (typeof prop === 'string' && RAW.includes(prop)) return rawInTransaction(t, value, state);
              return typeof prop === 'string' && MODELS.includes(prop) ? wrapDelegate(value as object, state) : value;
            },
          }),
        ),
      options,
    );
    if (state.killAtCommit) {
      die();
      return hang();
    }
    return result;
  });

  return {
    writes: () => count,
    fired: () => fired,
    died,
    hooked: async () => {
      await Promise.all(hooks);
    },
    stop() {
      if (!dead) for (const [key, value] of originals) replace(key, value);
      buried = dead;
      for (const reject of hanging.splice(0)) reject(new ProcessDied('the process is dead'));
    },
  };
}
