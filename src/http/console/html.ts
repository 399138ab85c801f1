import { escapeHtml } from '../../escape-html.js';

/** Server-rendered HTML: every value goes through `esc` (or the `html` tag), templates are trusted. */

export function esc(value: unknown): string {
  return escapeHtml(value, { quotes: true });
}

/** A fragment that is already HTML. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Tagged template: interpolated values are escaped unless they are Html (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

function render(v: unknown): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return esc(v);
}

/** A POST form with its CSRF token; `body` holds the fields and the button. */
export function form(action: string, csrf: string, body: Html, attrs = ''): Html {
  return html`<form method="post" action="${action}" ${new Html(attrs)}>
    <input type="hidden" name="_csrf" value="${csrf}" />${body}
  </form>`;
}
