import { may, type OperatorRole, type Permission } from '../../domain/operator-role.js';
import type { ConsoleLocale } from './i18n.js';
import { documentHtml, h, type Child, type Markup } from './jsx.js';

export type PageContext = {
  locale: ConsoleLocale;
  csrf: string;
  operatorId: number;
  role: OperatorRole;
  /** Operators' names from Telegram, for "who did it". */
  names?: ReadonlyMap<number, string>;
};

/** Whether the signed-in operator may do this: what they may not is not shown (and the server refuses it). */
export const allowed = (ctx: PageContext, permission: Permission) => may(ctx.role, permission);

const NAV = [
  'overview',
  'orders',
  'attention',
  'reports',
  'travellers',
  'catalog',
  'stores',
  'notices',
  'provider',
  'audit',
  'operators',
] as const;
export type NavItem = (typeof NAV)[number];
const HREF: Record<NavItem, string> = {
  overview: '/console',
  orders: '/console/orders',
  attention: '/console/attention',
  reports: '/console/reports',
  travellers: '/console/travellers',
  catalog: '/console/catalog',
  stores: '/console/stores',
  notices: '/console/notices',
  provider: '/console/provider',
  audit: '/console/audit',
  operators: '/console/operators',
};
const NAV_NEEDS: Partial<Record<NavItem, Permission>> = {
  catalog: 'catalog',
  reports: 'reports',
  notices: 'notices',
  provider: 'provider',
  operators: 'operators',
};

export const STYLESHEET = '/console/assets/console.css';

/** A POST form with its CSRF token; its children are the fields and the button. */
export function PostForm(props: { action: string; csrf: string; class?: string; children?: Child }): Markup {
  return (
    <form method="post" action={props.action} class={props.class}>
      <input type="hidden" name="_csrf" value={props.csrf} />
      {props.children}
    </form>
  );
}

function Head(props: { title: string }): Markup {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width,initial-scale=1" />
      <meta name="color-scheme" content="light dark" />
      <title>{props.title}</title>
      <link rel="stylesheet" href={STYLESHEET} />
      <link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml" />
    </head>
  );
}

/** The page around every console view: navigation (a menu that folds on a phone), settings, sign-out. */
export function page(ctx: PageContext, current: NavItem | null, title: string, body: Markup, scripts: string[] = []) {
  const { t } = ctx.locale;
  return documentHtml(
    <html lang={ctx.locale.language}>
      <Head title={`${title} · ${t('title')}`} />
      <body>
        <header>
          <strong>{t('title')}</strong>
          <details>
            <summary>☰ {t('nav.menu')}</summary>
            <nav aria-label={t('nav.menu')}>
              <ul>
                {NAV.filter((n) => !NAV_NEEDS[n] || allowed(ctx, NAV_NEEDS[n])).map((n) => (
                  <li>
                    <a href={HREF[n]} class={n === current ? 'on' : undefined}>
                      {t(`nav.${n}`)}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          </details>
          <div class="tools">
            <a href="/console/settings" title={t('nav.settings')} data-prefs>
              {ctx.locale.language} · {ctx.locale.timezone}
            </a>
            <PostForm action="/console/sign-out" csrf={ctx.csrf}>
              <button type="submit">{t('nav.sign_out')}</button>
            </PostForm>
          </div>
        </header>
        <main>
          <h1>{title}</h1>
          {body}
        </main>
        {scripts.map((s) => (
          <script src={s}></script>
        ))}
      </body>
    </html>,
  );
}

/** The page for everyone who is not signed in, or whose request was refused: nothing about the business. */
export function plainPage(locale: ConsoleLocale, title: string, message: string, extra?: Markup): string {
  return documentHtml(
    <html lang={locale.language}>
      <Head title={title} />
      <body>
        <main>
          <h1>{title}</h1>
          {message ? <p>{message}</p> : null}
          {extra}
        </main>
      </body>
    </html>,
  );
}
