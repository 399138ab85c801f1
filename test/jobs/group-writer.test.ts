import { describe, expect, it } from 'vitest';
import { createGroupWriter } from '../../src/jobs/group-writer.js';

describe('writing sent rows in groups', () => {
  it('keeps one write under way and puts what arrives meanwhile in the next, not in writes of their own', async () => {
    const writes: number[][] = [];
    let finishFirst!: () => void;
    const writer = createGroupWriter<number>(
      (items) => {
        writes.push(items);
        return writes.length === 1 ? new Promise<void>((r) => (finishFirst = r)) : Promise.resolve();
      },
      { maxItems: 2, maxDelayMs: 5, maxPerWrite: 100 },
    );
    const first = [writer.add(1), writer.add(2)];
    // The database is slow: 30 more rows are sent while the first write is under way.
    const during = Array.from({ length: 30 }, (_, i) => writer.add(3 + i));
    expect(writes).toEqual([[1, 2]]);
    finishFirst();
    await Promise.all([...first, ...during]);
    expect(writes).toHaveLength(2);
    expect(writes[1]).toEqual(Array.from({ length: 30 }, (_, i) => 3 + i));
  });

  it('splits what waited into statements of at most maxPerWrite, and fails only the group whose write failed', async () => {
    const writes: number[][] = [];
    let finishFirst!: () => void;
    const writer = createGroupWriter<number>(
      (items) => {
        writes.push(items);
        if (writes.length === 1) return new Promise<void>((r) => (finishFirst = r));
        return writes.length === 2 ? Promise.reject(new Error('database gone')) : Promise.resolve();
      },
      { maxItems: 1, maxDelayMs: 5, maxPerWrite: 3 },
    );
    const first = writer.add(0);
    const later = Array.from({ length: 5 }, (_, i) =>
      writer.add(1 + i).then(
        () => 'stored',
        () => 'failed',
      ),
    );
    finishFirst();
    await first;
    expect(await Promise.all(later)).toEqual(['failed', 'failed', 'failed', 'stored', 'stored']);
    expect(writes).toEqual([[0], [1, 2, 3], [4, 5]]);
  });
});
