import cron from 'node-cron';
import type { Logger } from '../logger.js';
import type { RepeatedLog } from './repeated.js';

/**
 * node-cron prints coloured text to the console by default: its messages go through pino instead,
 * and a job that keeps failing is one line per interval.
 */
export function routeLibraryLogs(logger: Logger, failed: RepeatedLog): void {
  const log = logger.child({ lib: 'node-cron' });
  cron.setLogger({
    info: (message) => log.debug(message),
    warn: (message) => log.warn(message),
    debug: (message) => log.debug(message),
    error: (message, err) =>
      failed('cron', { err: err ?? message }, typeof message === 'string' ? message : 'job failed'),
  });
}
