import { Html, form, html } from './html.js';
import type { ConsoleLocale } from './i18n.js';

export type PageContext = { locale: ConsoleLocale; csrf: string; operatorId: number };

const NAV = [
  'overview',
  'orders',
  'attention',
  'travellers',
  'catalog',
  'stores',
  'notices',
  'provider',
  'audit',
] as const;
const HREF: Record<(typeof NAV)[number], string> = {
  overview: '/console',
  orders: '/console/orders',
  attention: '/console/attention',
  travellers: '/console/travellers',
  catalog: '/console/catalog',
  stores: '/console/stores',
  notices: '/console/notices',
  provider: '/console/provider',
  audit: '/console/audit',
};

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d232a;background:#f5f6f8}
header{background:#16324f;color:#fff;padding:.5rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none}header a.on{text-decoration:underline}header a[data-prefs]{margin-left:auto}
main{padding:1rem;max-width:1100px;margin:auto}h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem}
table{border-collapse:collapse;width:100%;background:#fff}td,th{padding:.35rem .5rem;border-bottom:1px solid #e3e6ea;text-align:left;vertical-align:top}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:.75rem}.card{background:#fff;border-radius:6px;padding:.75rem;box-shadow:0 1px 2px #0001}
.card b{font-size:1.3rem;display:block}.warn{color:#a01d1d;font-weight:600}.ok{color:#1b6b34}.muted{color:#68737d}
button,.button{background:#16324f;color:#fff;border:0;border-radius:4px;padding:.4rem .8rem;cursor:pointer;font:inherit;text-decoration:none;display:inline-block}
button.danger{background:#a01d1d}input,select,textarea{font:inherit;padding:.3rem}textarea{width:100%;min-height:10rem}
form.inline{display:inline}.notice{background:#fff7d6;padding:.5rem .75rem;border-radius:4px}canvas{max-height:260px}
`;

/** The page around every console view: navigation, sign-out, the operator's language. */
export function page(
  ctx: PageContext,
  current: (typeof NAV)[number] | null,
  title: string,
  body: Html,
  scripts: string[] = [],
): string {
  const { t } = ctx.locale;
  return `<!doctype html>${
    html`<html lang="${ctx.locale.language}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>${title} · ${t('title')}</title>
        <style>
          ${new Html(STYLE)}
        </style>
      </head>
      <body>
        <header>
          <strong>${t('title')}</strong
          >${NAV.map((n) => html`<a href="${HREF[n]}" class="${n === current ? 'on' : ''}">${t(`nav.${n}`)}</a>`)}
          <a href="/console/settings" title="${t('nav.settings')}" data-prefs
            >${ctx.locale.language} · ${ctx.locale.timezone}</a
          >
          ${form('/console/sign-out', ctx.csrf, html`<button type="submit">${t('nav.sign_out')}</button>`)}
        </header>
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
        ${scripts.map((s) => html`<script src="${s}"></script>`)}
      </body>
    </html>`.value
  }`;
}

/** The page for everyone who is not signed in, or whose request was refused: nothing about the business. */
export function plainPage(locale: ConsoleLocale, title: string, message: string, extra: Html = html``): string {
  return `<!doctype html>${
    html`<html lang="${locale.language}">
      <head>
        <meta charset="utf-8" />
        <title>${title}</title>
        <style>
          ${new Html(STYLE)}
        </style>
      </head>
      <body>
        <main>
          <h1>${title}</h1>
          <p>${message}</p>
          ${extra}
        </main>
      </body>
    </html>`.value
  }`;
}
