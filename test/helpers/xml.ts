import { SaxesParser } from '@rubensworks/saxes';

// saxes is a conforming XML 1.0 parser (it refuses disallowed characters and unescaped markup): the
// @rubensworks fork rdfxml-streaming-parser uses, a devDependency of its own for these tests.

export const ATOM = 'http://www.w3.org/2005/Atom';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export interface XmlElement {
  uri: string;
  local: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses a document into a small tree of elements; throws on anything that is not well-formed. */
export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) attributes[attribute.uri === XML_NS ? `xml:${attribute.local}` : attribute.local] = attribute.value;
    const element: XmlElement = { uri: tag.uri, local: tag.local, attributes, children: [], text: '' };
    stack.at(-1)?.children.push(element);
    root ??= element;
    stack.push(element);
  });
  parser.on('text', (t) => {
    const current = stack.at(-1);
    if (current) current.text += t;
  });
  parser.on('closetag', () => stack.pop());
  parser.write(text).close();
  return root!;
}

export const child = (element: XmlElement, local: string) => element.children.find((c) => c.local === local);
export const childrenNamed = (element: XmlElement, local: string) => element.children.filter((c) => c.local === local);
export const textOf = (element: XmlElement, local: string) => child(element, local)?.text;
