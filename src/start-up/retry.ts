import { GrammyError, HttpError } from 'grammy';
import type { Logger } from '../logger.js';

/** Why a call to an outside system failed, in the words an operator searches for. */
export function causeOf(error: unknown): { cause: string; permanent: boolean; suspectToken: boolean } {
  // An error that says waiting changes nothing (a data folder Kuota may not write) is not retried.
  if (error instanceof Error && (error as { permanent?: unknown }).permanent === true)
    return { cause: error.message, permanent: true, suspectToken: false };
  if (error instanceof GrammyError) {
    // Only getMe's 401 or 404 says the token is wrong (Telegram answers 404 for a token it does not know).
    const token = error.method === 'getMe' && (error.error_code === 401 || error.error_code === 404);
    return { cause: `${error.error_code} ${error.description}`, permanent: token, suspectToken: token };
  }
  const inner = error instanceof HttpError ? error.error : error;
  return {
    cause: networkCode(inner) ?? (inner as Error)?.message ?? String(inner),
    permanent: false,
    suspectToken: false,
  };
}

/** ENOTFOUND, ECONNREFUSED…, looked for along the error's causes (fetch wraps them). */
function networkCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    const errors = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(errors)) for (const each of errors) if (networkCode(each)) return networkCode(each);
  }
  return undefined;
}

/**
 * Tries `run` until it works, waiting 0.5 s, 1 s, 2 s… (at most 15 s) between tries, for at most
 * `forMs`; each failure is logged with its real cause. A permanent failure (a wrong token) ends at once.
 */
export async function retrying<T>(
  what: string,
  run: () => Promise<T>,
  options: { forMs: number; logger: Logger; sleep?: (ms: number) => Promise<void> },
): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const until = Date.now() + options.forMs;
  for (let attempt = 1, waitMs = 500; ; attempt++, waitMs = Math.min(waitMs * 2, 15_000)) {
    try {
      return await run();
    } catch (error) {
      const { cause, permanent } = causeOf(error);
      if (permanent || Date.now() + waitMs > until) throw error;
      options.logger.warn({ err: error, cause, attempt, retryInMs: waitMs }, `${what} failed (${cause}); trying again`);
      await sleep(waitMs);
    }
  }
}
