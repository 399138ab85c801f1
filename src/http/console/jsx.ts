import { attributesToString, escapeHtml, isVoidElement } from '@kitajs/html';

/**
 * The console's JSX runtime: @kitajs/html renders the tags and their attributes (escaped), and every
 * text child is escaped here too, so a value can only become markup through `trustedHtml`.
 */
const MARKUP = Symbol('markup');

/** Markup built by this runtime (or named trusted); anything else in a page is text. */
export type Markup = { readonly [MARKUP]: string; toString(): string };

export type Child = Markup | string | number | bigint | boolean | null | undefined | readonly Child[];

function markup(html: string): Markup {
  return { [MARKUP]: html, toString: () => html };
}

/** The one way to put raw HTML into a page: for markup the console itself made and has checked. */
export function trustedHtml(html: string): Markup {
  return markup(html);
}

function isMarkup(value: unknown): value is Markup {
  return typeof value === 'object' && value !== null && MARKUP in value;
}

function render(child: Child): string {
  if (child === null || child === undefined || child === false || child === true) return '';
  if (isMarkup(child)) return child[MARKUP];
  if (Array.isArray(child)) return (child as readonly Child[]).map(render).join('');
  return escapeHtml(String(child));
}

// Attributes through which @kitajs/html would write raw text, or that the Content-Security-Policy refuses.
const REFUSED = ['safe', 'attrs', 'style', 'dangerouslySetInnerHTML'];

type Component = (props: Record<string, unknown> & { children?: Child }) => Markup;

export function h(tag: string | Component, attrs: Record<string, unknown> | null, ...children: Child[]): Markup {
  if (typeof tag === 'function') return tag({ ...attrs, children: children.length > 1 ? children : children[0] });
  for (const key of REFUSED)
    if (attrs && key in attrs) throw new Error(`<${tag} ${key}> is not allowed in the console`);
  const attributes = attrs ? attributesToString(attrs) : '';
  const inner = render(children);
  if (!inner && isVoidElement(tag)) return markup('<' + tag + attributes + '>');
  return markup('<' + tag + attributes + '>' + inner + '</' + tag + '>');
}

export function Fragment(props: { children?: Child }): Markup {
  return markup(render(props.children));
}

/** A whole page: the doctype and its root element. */
export function documentHtml(root: Markup): string {
  return '<!doctype html>' + root[MARKUP];
}

type KitaElements = JSX.IntrinsicElements;
type Refused = 'safe' | 'attrs' | 'style' | 'children';

// TypeScript looks for the JSX types on the factory (h.JSX) before the global ones @kitajs/html declares.
// eslint-disable-next-line @typescript-eslint/no-namespace -- TypeScript reads JSX types only from a namespace
export declare namespace h {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- as above
  namespace JSX {
    type Element = Markup;
    type IntrinsicElements = {
      [K in keyof KitaElements]: Omit<KitaElements[K], Refused> & {
        children?: Child;
        [data: `data-${string}`]: unknown;
      };
    };
    interface ElementChildrenAttribute {
      children: object;
    }
    interface IntrinsicAttributes {
      key?: never;
    }
  }
}
