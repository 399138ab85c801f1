/** How long a chat reply waits for a provider before it answers with what Kuota already knows. */
export const PROVIDER_WAIT_MS = 5000;

/**
 * The promise's value, or `fallback` if it takes longer than `ms`: a slow provider never holds a
 * chat reply. The promise keeps running, so whatever it stores still lands.
 */
export async function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
