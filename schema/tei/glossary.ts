/** `standOff` in TEI: the glossary (`listPerson`, `listOrg`, `listPlace`, `list[@type="glossary"]`). */
import type { Element } from "@xmldom/xmldom";
import type { GlossaryKind, GlossaryRecord } from "../glossary.ts";
import { readAuthorityIdnos } from "./authority.ts";
import { child, children, text } from "./dom.ts";
import type { ReadState } from "./state.ts";

/** The glossary entries of `standOff`; detached apparatus entries are handed to `detached`. */
export function readGlossary(
  state: ReadState,
  standOff: Element | null,
  detached: (app: Element) => void,
): GlossaryRecord[] {
  const out: GlossaryRecord[] = [];
  const noteOf = (el: Element, type: string) =>
    text(children(el).find((c) => c.localName === "note" && c.getAttribute("type") === type) ?? null);
  const entry = (el: Element, kind: GlossaryKind, nameTag: string, definition: string) => {
    const names = children(el).filter((c) => c.localName === nameTag);
    const main = names.find((c) => c.getAttribute("type") === "main") ?? names[0];
    const id = el.getAttribute("xml:id") ?? "";
    const ours = /^gl-[a-z0-9-]+$/.test(id);
    if (ours) state.report.kept(el, `<${el.localName}>`, "a glossary entry");
    else state.report.converted(el, `<${el.localName}>`, "a glossary entry under a new id (gl-…)", id);
    out.push({
      id: ours ? id : `gl-imported-${++state.autoId}`,
      kind,
      headword: text(main ?? null) || id,
      forms: names.filter((n) => n !== main).map((n) => text(n)),
      definition,
      ...readAuthorityIdnos(state, el, id || `gl-imported-${state.autoId}`),
      source: noteOf(el, "source"),
    });
  };
  const kinds: Record<string, [GlossaryKind, string, string]> = {
    listPerson: ["person", "person", "persName"],
    listOrg: ["organisation", "org", "orgName"],
    listPlace: ["place", "place", "placeName"],
  };
  for (const list of children(standOff)) {
    const k = list.localName ? kinds[list.localName] : undefined;
    if (k) {
      for (const el of children(list)) {
        if (el.localName === k[1]) entry(el, k[0], k[2], noteOf(el, "definition"));
        else state.report.dropped(el, `<${el.localName}> in <${list.localName}>`, "not represented");
      }
    } else if (list.localName === "list" && list.getAttribute("type") === "glossary") {
      for (const el of children(list)) {
        const n = el.getAttribute("n");
        const kind: GlossaryKind = n === "event" || n === "publication" ? n : "term";
        entry(el, kind, "term", text(child(el, "gloss")));
      }
    } else if (list.localName === "listBibl") {
      // The bibliography: read by bibliography.ts.
    } else if (list.localName === "listApp" && list.getAttribute("type") === "detached") {
      for (const el of children(list)) if (el.localName === "app") detached(el);
    } else state.report.dropped(list, `<${list.localName}> in <standOff>`, "not represented");
  }
  return out;
}
