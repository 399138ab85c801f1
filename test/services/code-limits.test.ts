import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCodeLimits, DEFAULT_CODE_LIMITS } from '../../src/services/code-limits.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/database.js';

describe.each(databaseKinds)('code limits in the database (%s)', (kind) => {
  let database: TestDatabase;
  let at: Date;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
    at = new Date('2026-11-25T10:00:00Z');
  });
  afterEach(async () => {
    await database.drop();
  });

  it('counts wrong codes typed at the same moment one by one, and locks the number once', async () => {
    const limits = createCodeLimits({ db: database.db, now: () => at });
    const results = await Promise.all(Array.from({ length: 8 }, () => limits.wrongCode('6283812345678')));
    const triesLeft = results.flatMap((r) => ('triesLeft' in r ? [r.triesLeft] : [])).sort();
    expect(triesLeft).toEqual([1, 2, 3, 4]);
    expect(await limits.lockedUntil('6283812345678')).toEqual(
      new Date(at.getTime() + DEFAULT_CODE_LIMITS.lockMinutes * 60_000),
    );
    at = new Date(at.getTime() + DEFAULT_CODE_LIMITS.lockMinutes * 60_000 + 1);
    expect(await limits.lockedUntil('6283812345678')).toBeNull();
    expect(await limits.wrongCode('6283812345678')).toEqual({ triesLeft: 4 });
  });

  it('lets only one of two simultaneous requests send a code within the cooldown', async () => {
    const limits = createCodeLimits({ db: database.db, now: () => at });
    const results = await Promise.all([
      limits.recordSend('u1', '6283812345678'),
      limits.recordSend('u2', '6283812345678'),
    ]);
    expect(results.filter((r) => r === null)).toHaveLength(1);
    expect(results.find((r) => r !== null)).toEqual({ reason: 'cooldown', until: new Date(at.getTime() + 60_000) });
  });
});
