import type { ConsoleLocale } from './i18n.js';
import { h } from './jsx.js';
import { page, plainPage, type PageContext } from './layout.js';

/** The link from /admin lands here: one button, so link previews and prefetchers cannot spend it. */
export function signInPage(l: ConsoleLocale, csrf: string, token: string): string {
  return plainPage(
    l,
    l.t('auth.link_title'),
    '',
    <form method="post" action="/console/sign-in">
      <input type="hidden" name="_csrf" value={csrf} />
      <input type="hidden" name="token" value={token} />
      <button type="submit">{l.t('auth.link_continue')}</button>
    </form>,
  );
}

/** An address under /console that leads nowhere: with the navigation for an operator, plain for anyone else. */
export function notFoundPage(l: ConsoleLocale, ctx: PageContext | null): string {
  if (!ctx) return plainPage(l, l.t('auth.not_found_title'), l.t('auth.not_found'));
  return page(
    ctx,
    null,
    l.t('auth.not_found_title'),
    <p>
      {l.t('auth.not_found')} <a href="/console">{l.t('auth.to_overview')}</a>
    </p>,
  );
}
