import type { Harness } from './harness.js';

/**
 * An operator's console session by plain HTTP (no browser): signed in through a one-time link, with
 * the cookies the console sets and the CSRF token its forms carry, as a browser would post them.
 */
export async function consoleSession(h: Harness, operatorId: number) {
  const cookies = new Map<string, string>();
  const keep = (response: Response) => {
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair!.indexOf('=');
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return response;
  };
  const headers = () => ({
    cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    origin: h.appUrl,
  });
  const formOf = (html: string) => ({
    csrf: /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '',
    key: /name="key" value="([^"]+)"/.exec(html)?.[1] ?? '',
  });
  const token = await h.app.operator.auth.issueLink(operatorId);
  if (!token) throw new Error(`${operatorId} is not an operator (ADMIN_IDS)`);
  const signIn = await fetch(`${h.appUrl}/console/sign-in?token=${token}`).then(keep);
  const { csrf } = formOf(await signIn.text());
  await fetch(`${h.appUrl}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, _csrf: csrf }).toString(),
  }).then(keep);

  return {
    /** A console page's HTML. */
    async page(path: string): Promise<string> {
      return (await fetch(`${h.appUrl}${path}`, { headers: headers() })).text();
    },
    /** Posts a form with no fields but its CSRF token (a Reveal or Resend button); the answer is the redirect's address. */
    async postForm(path: string): Promise<string | null> {
      const response = await fetch(`${h.appUrl}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf }).toString(),
      });
      await response.arrayBuffer();
      if (response.status !== 303) throw new Error(`the console answered ${response.status}`);
      return response.headers.get('location');
    },
    /** Opens the confirmation of `action` and returns the form it shows (post it with `post`). */
    async confirm(appUrl: string, orderId: string, action: string) {
      const page = await fetch(`${appUrl}/console/orders/${orderId}/confirm/${action}`, { headers: headers() });
      return formOf(await page.text());
    },
    /** Posts a confirmation form, as the Confirm button does; the answer is the redirect's address. */
    async post(appUrl: string, orderId: string, action: string, form: { csrf: string; key: string }) {
      const response = await fetch(`${appUrl}/console/orders/${orderId}/${action}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...headers(), origin: appUrl, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: form.csrf, key: form.key }).toString(),
      });
      await response.arrayBuffer();
      if (response.status !== 303) throw new Error(`the console answered ${response.status}`);
      return response.headers.get('location');
    },
  };
}
