/** Small helpers over @xmldom/xmldom's DOM: children, paths, normalised text, line numbers. */
import type { Element, Node as XNode } from "@xmldom/xmldom";

export const TEI_NS = "http://www.tei-c.org/ns/1.0";

export function nodes(el: Element | null): XNode[] {
  if (!el) return [];
  const out: XNode[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) out.push(n);
  return out;
}

export function children(el: Element | null): Element[] {
  return nodes(el).filter((n): n is Element => n.nodeType === 1);
}

export function child(el: Element | null, name: string): Element | null {
  return children(el).find((c) => c.localName === name) ?? null;
}

export function find(el: Element | null, path: string[]): Element | null {
  let at = el;
  for (const name of path) at = child(at, name);
  return at;
}

/** The text of an element, whitespace collapsed. */
export function text(el: Element | null): string {
  return (el?.textContent ?? "").replace(/\s+/g, " ").trim();
}

/** The line a node starts on in the file (xmldom records it), or null. */
export function lineOf(node: XNode): number | null {
  return (node as { lineNumber?: number }).lineNumber ?? null;
}

/** Every element under `root` (itself excluded), in document order, without recursion. */
export function descendants(root: Element): Element[] {
  const out: Element[] = [];
  const stack: Element[] = children(root).reverse();
  while (stack.length > 0) {
    const el = stack.pop() as Element;
    out.push(el);
    const kids = children(el);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as Element);
  }
  return out;
}

/** The TEI elements of a name anywhere under `root`. */
export function elementsNamed(root: Element, name: string): Element[] {
  return descendants(root).filter((e) => e.localName === name);
}
