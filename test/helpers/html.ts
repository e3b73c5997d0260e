import { parse } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';

/** A page parsed as a browser would (parse5, the WHATWG algorithm), and the few questions tests ask of it. */
export type HtmlNode = DefaultTreeAdapterMap['node'];
export type HtmlElement = DefaultTreeAdapterMap['element'];

export function parseHtml(text: string): HtmlElement {
  const document = parse(text);
  return document.childNodes.find((n): n is HtmlElement => 'tagName' in n && n.tagName === 'html')!;
}

/** Every element below `root` (itself included), in document order. */
export function elements(root: HtmlNode): HtmlElement[] {
  const found: HtmlElement[] = [];
  const walk = (node: HtmlNode) => {
    if ('tagName' in node) found.push(node);
    const children = 'content' in node && node.content ? node.content.childNodes : 'childNodes' in node ? node.childNodes : [];
    for (const child of children) walk(child as HtmlNode);
  };
  walk(root);
  return found;
}

export function attribute(element: HtmlElement, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}

/** The text of an element as a reader sees it (white space kept). */
export function textOf(node: HtmlNode): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  return 'childNodes' in node ? node.childNodes.map((c) => textOf(c as HtmlNode)).join('') : '';
}

/** The elements named `tag` below `root`. */
export const byTag = (root: HtmlNode, tag: string) => elements(root).filter((e) => e.tagName === tag);

/** The nearest language of an element: its own lang or its closest ancestor's. */
export function languageOf(element: HtmlElement): string | undefined {
  for (let at: HtmlNode | null = element; at && 'tagName' in at; at = (at as HtmlElement).parentNode as HtmlNode | null) {
    const lang = attribute(at as HtmlElement, 'lang');
    if (lang !== undefined) return lang;
  }
  return undefined;
}
