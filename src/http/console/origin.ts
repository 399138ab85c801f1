/**
 * Whether a POST comes from another site: its Origin names neither this host nor PUBLIC_URL.
 * A request without Origin (an old browser, a script with no page) is left to the CSRF token.
 */
export function foreignOrigin(origin: string | undefined, host: string | undefined, publicUrl: string | undefined) {
  if (origin === undefined) return false;
  let from: URL;
  try {
    from = new URL(origin);
  } catch {
    return true;
  }
  if (host && from.host === host) return false;
  if (publicUrl && from.origin === new URL(publicUrl).origin) return false;
  return true;
}
