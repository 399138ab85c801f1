import type { Logger } from '../logger.js';
import { startLoop } from './loop.js';
import { startSchedules, type ScheduleDeps } from './schedules.js';

export type JobsDeps = Omit<ScheduleDeps, 'onQueued'> & {
  outbox: { runOnce(options: { wait: boolean }): Promise<number>; idle(): Promise<void> };
  outboxPollMs: number;
  logger: Logger;
};

/** The delivery loop and the scheduled jobs; poke() before start() is a no-op. */
export function createJobs(deps: JobsDeps) {
  let outboxLoop: ReturnType<typeof startLoop> | undefined;
  let schedules: ReturnType<typeof startSchedules> | undefined;
  const poke = () => outboxLoop?.poke();
  return {
    /** Something was queued for delivery: send it now rather than at the next poll. */
    poke,
    start(): void {
      outboxLoop = startLoop('outbox', () => deps.outbox.runOnce({ wait: false }), deps.outboxPollMs, deps.logger);
      schedules = startSchedules({ ...deps, onQueued: poke });
    },
    /** No new ticks; the delivery under way finishes. */
    async stopSchedules(): Promise<void> {
      await schedules?.stop();
    },
    async stopDelivery(): Promise<void> {
      await outboxLoop?.stop();
      await deps.outbox.idle();
    },
  };
}
