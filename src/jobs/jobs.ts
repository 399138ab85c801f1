import type { Logger } from '../logger.js';
import type { RepeatedLog } from '../observe/repeated.js';
import type { OutboxSignal } from '../wiring/outbox-signal.js';
import { startLoop } from './loop.js';
import { startSchedules, type ScheduleDeps } from './schedules.js';

export type JobsDeps = Omit<ScheduleDeps, 'onQueued'> & {
  outbox: { runOnce(options: { wait: boolean }): Promise<number>; idle(): Promise<void> };
  outboxPollMs: number;
  logger: Logger;
  /** Something was queued for delivery: the loop sends it now rather than at the next poll. */
  signal: OutboxSignal;
  failed: RepeatedLog;
};

/** The delivery loop and the scheduled jobs. */
export function createJobs(deps: JobsDeps) {
  let outboxLoop: ReturnType<typeof startLoop> | undefined;
  let schedules: ReturnType<typeof startSchedules> | undefined;
  let unlisten: (() => void) | undefined;
  return {
    start(): void {
      outboxLoop = startLoop('outbox', () => deps.outbox.runOnce({ wait: false }), deps.outboxPollMs, deps.failed);
      unlisten = deps.signal.listen(() => outboxLoop?.poke());
      schedules = startSchedules({ ...deps, onQueued: deps.signal.queued });
    },
    /** No new ticks; the delivery under way finishes. */
    async stopSchedules(): Promise<void> {
      await schedules?.stop();
    },
    async stopDelivery(): Promise<void> {
      unlisten?.();
      await outboxLoop?.stop();
      await deps.outbox.idle();
    },
  };
}
