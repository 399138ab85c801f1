import { Fragment, h, type Child, type Markup } from './jsx.js';
import type { PageContext } from './layout.js';

// Stands in for the value while the language's template is split around it; no label or value holds it.
const SLOT = '\u0000';

/**
 * A label and a value that is markup (a bold amount, a list), joined the way the language writes a field:
 * "Margin: …" in English, 「粗利：…」 in Japanese. The separator comes from the locale (`common.field`).
 */
export function FieldLabel(props: { ctx: PageContext; label: string; children?: Child }): Markup {
  const [before = '', after = ''] = props.ctx.locale.field(props.label, SLOT).split(SLOT);
  return (
    <>
      {before}
      {props.children}
      {after}
    </>
  );
}
