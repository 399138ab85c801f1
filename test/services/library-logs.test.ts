import { Writable } from 'node:stream';
import cron from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { routeLibraryLogs } from '../../src/observe/library-logs.js';
import { createRepeatedLog } from '../../src/observe/repeated.js';
import { until } from '../helpers/wait.js';

describe("node-cron's messages", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    cron.setLogger(undefined as never); // its own again
  });

  it('reach pino as JSON, not the console: a job that fails every second is one line', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      destination: new Writable({
        write(chunk, _enc, cb) {
          lines.push(chunk.toString());
          cb();
        },
      }),
    });
    const consoleCalls = [
      vi.spyOn(console, 'log'),
      vi.spyOn(console, 'error'),
      vi.spyOn(console, 'warn'),
      vi.spyOn(console, 'info'),
    ];
    routeLibraryLogs(logger, createRepeatedLog(logger));
    let runs = 0;
    const task = cron.schedule('* * * * * *', () => {
      runs++;
      throw new Error('the job broke');
    });
    try {
      await until(() => runs >= 3, { what: () => `three runs of the job (${runs} so far)` });
    } finally {
      await task.destroy();
    }
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed).toHaveLength(1);
    expect(parsed[0]).toMatchObject({
      level: 50,
      kind: 'cron',
      msg: expect.any(String),
      err: { message: 'the job broke' },
    });
    for (const call of consoleCalls) expect(call).not.toHaveBeenCalled();
  }, 20_000);
});
