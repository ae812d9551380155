/** What the readers of a TEI text share: attribute reports, element names, breaks, who is responsible. */
import type { Element } from "@xmldom/xmldom";
import type { Node } from "prosemirror-model";
import { schema } from "../schema.ts";
import { nodes, TEI_NS } from "./dom.ts";
import type { ReadState } from "./state.ts";

/** Attributes every reader consumes (namespaces; ids where the model keeps them are listed per element). */
export function reportAttrs(state: ReadState, el: Element, consumed: string[]): void {
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i);
    if (!a || consumed.includes(a.name) || a.name === "xmlns" || a.name.startsWith("xmlns:")) continue;
    state.report.dropped(el, `@${a.name} on ${label(el)}`, "not represented", a.value);
  }
}

/** How the report names an element: `<p>`, or with its prefix outside TEI's namespace (`<xsl:text>`). */
export function label(el: Element): string {
  return `<${el.namespaceURI === TEI_NS ? el.localName : el.nodeName}>`;
}

export function hasDirectText(el: Element): boolean {
  return nodes(el).some((n) => (n.nodeType === 3 || n.nodeType === 4) && (n.nodeValue ?? "").trim() !== "");
}

/** Who is responsible for a note or reading: our `respStmt`'s name, else the pointer's id. */
export function respOf(state: ReadState, el: Element): string | null {
  const resp = el.getAttribute("resp");
  if (!resp) return null;
  const id = resp.replace(/^#/, "");
  const named = state.respNames.get(id);
  if (named) return named;
  return id.startsWith("resp-") ? id.slice(5) : id;
}

export function breakDropped(state: ReadState, el: Element): void {
  const n = el.getAttribute("n");
  const facs = el.getAttribute("facs");
  state.report.dropped(
    el,
    `<${el.localName}>${el.localName === "lb" ? " between paragraphs" : ""}`,
    "page, column and line breaks are not represented yet",
    n !== null || facs !== null
      ? [n && `n=${n}`, facs && `facs=${facs}`].filter(Boolean).join(" ")
      : undefined,
  );
}

/** A page break, with its page number and scan (`@n`, `@facs`). */
export function pageBreak(state: ReadState, el: Element): Node {
  const n = el.getAttribute("n");
  const facs = el.getAttribute("facs");
  const value = [n && `n=${n}`, facs && `facs=${facs}`].filter(Boolean).join(" ");
  state.report.kept(el, "<pb>", "a page break with its number and scan", value || undefined);
  reportAttrs(state, el, ["n", "facs"]);
  return schema.nodes.page_break.create({ n, facs });
}
