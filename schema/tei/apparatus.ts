/**
 * Parallel-segmentation apparatus in TEI: `app` with `lem` and `rdg`s (also inside `rdgGrp`), read into
 * pending entries. A reading's witnesses come from its `@wit` (groups expanded); a siglum no `listWit`
 * declares is registered under that siglum (and reported), never silently lost.
 */
import type { Element } from "@xmldom/xmldom";
import type { Mark, Node } from "prosemirror-model";
import { isStatus, isVariantType } from "../apparatus.ts";
import { schema } from "../schema.ts";
import { IMPORTED_SIGLUM } from "../witnesses.ts";
import { children, descendants, nodes, text } from "./dom.ts";
import { type PendingEntry, type ReadState, witnessesOf } from "./state.ts";

type Inline = (el: Element, marks: readonly Mark[]) => Node[];

/** Reads an `app`; returns what stands in the text for it (the lemma marked, or an anchor). */
export function readApp(
  state: ReadState,
  el: Element,
  marks: readonly Mark[],
  inline: Inline,
  resp: (el: Element) => string | null,
  detached = false,
): Node[] {
  const id = el.getAttribute("xml:id") ?? `app-imported-${++state.autoId}`;
  const type = el.getAttribute("type");
  const status = el.getAttribute("subtype");
  const lem = children(el).find((c) => c.localName === "lem") ?? null;
  const entry: PendingEntry = {
    id,
    type: isVariantType(type) ? type : "substantive",
    status: isStatus(status) ? status : "proposed",
    note: "",
    readings: {},
    decisions: {},
    lemma: lem ? text(lem) : "",
    lemmaWitnesses: lem?.getAttribute("wit") ? witnessesOf(state, lem.getAttribute("wit")) : null,
  };
  const report = state.report;
  report.kept(el, "<app>", "an apparatus entry");
  if (lem && state.inNote > 0)
    report.converted(
      lem,
      "<lem> in a footnote",
      "its words stay in the footnote, unmarked; the entry is kept detached with them (a footnote's words carry no lemma)",
    );
  else if (lem)
    report.kept(
      lem,
      "<lem>",
      detached ? "the lemma's words, recorded on a detached entry" : "the lemma, marked in the text",
    );
  if (type && !isVariantType(type)) report.converted(el, "@type on <app>", "kept as substantive", type);
  const readRdg = (c: Element) => {
    const reading = readingText(c);
    let wits = witnessesOf(state, c.getAttribute("wit"));
    const sources = wits.length === 0 ? readingSources(state, c) : [];
    if (sources.length > 0) {
      report.kept(
        c,
        "<rdg> with @source",
        "a reading of its source (a conjecture, an editor), under the source's id",
      );
      wits = sources;
    } else if (wits.length === 0) {
      const source = c.getAttribute("source");
      report.dropped(
        c,
        source ? "<rdg> with @source and no @wit" : "<rdg> without @wit",
        source
          ? "its source has no usable id (a letter or _, then letters, digits, _ . -)"
          : "a reading of no witness cannot be represented",
        source ?? undefined,
      );
      return;
    } else report.kept(c, "<rdg>", "a reading");
    reportUnreadAttributes(report, c, RDG_ATTRIBUTES);
    const rdgType = c.getAttribute("type");
    // @type is read as the reading's decision (proposed, accepted, rejected); any other type is not kept.
    if (rdgType && !isStatus(rdgType)) report.dropped(c, "@type on <rdg>", "not represented", rdgType);
    reportReadingMarkup(state, c);
    for (const siglum of wits) {
      if (!state.sigla.has(siglum)) {
        state.undeclared.add(siglum);
        state.sigla.add(siglum);
      }
      entry.readings[siglum] = reading === "" ? { kind: "om", text: "" } : { kind: "text", text: reading };
      const own = c.getAttribute("type");
      if (isStatus(own)) entry.decisions[siglum] = { status: own, by: resp(c) };
    }
  };
  for (const c of children(el)) {
    if (c.localName === "rdg") readRdg(c);
    else if (c.localName === "rdgGrp") {
      report.converted(c, "<rdgGrp>", "its readings are kept, the grouping is not");
      for (const r of children(c)) {
        if (r.localName === "rdg") readRdg(r);
        else report.dropped(r, `<${r.localName}> in <rdgGrp>`, "not represented");
      }
    } else if (c.localName === "note") {
      entry.note = entry.note ? `${entry.note} ${text(c)}` : text(c);
      report.kept(c, "<note> in <app>", "the entry's note");
    } else if (c !== lem) report.dropped(c, `<${c.localName}> in <app>`, "not represented");
  }
  state.entries.set(id, entry);
  if (detached) return [];
  const content = lem ? inline(lem, schema.marks.lemma.create({ app: id }).addToSet(marks)) : [];
  if (content.length === 0) return [schema.nodes.anchor.create({ app: id })];
  return content;
}

/** The attributes of a reading that the model keeps (or reads as its decision). */
const RDG_ATTRIBUTES = new Set(["wit", "source", "type", "resp"]);

/** Every attribute of `el` the model does not keep (`@cause`, `@varSeq`, `@hand` …), reported dropped. */
function reportUnreadAttributes(report: ReadState["report"], el: Element, kept: ReadonlySet<string>): void {
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i);
    if (!a || kept.has(a.name) || a.name.startsWith("xmlns")) continue;
    report.dropped(el, `@${a.name} on <${el.localName}>`, "not represented", a.value);
  }
}

/** The sources a `@source` names, registered as sources of readings the first time they are met. */
function readingSources(state: ReadState, rdg: Element): string[] {
  const out: string[] = [];
  for (const token of (rdg.getAttribute("source") ?? "").split(/\s+/).filter(Boolean)) {
    const id = token.replace(/^#/, "");
    if (!IMPORTED_SIGLUM.test(id)) return [];
    if (!state.sigla.has(id)) {
      state.sigla.add(id);
      state.sources.set(id, state.titles.get(id) || id);
    }
    out.push(id);
  }
  return out;
}

/** A reading's words: text, `lb` as a line break, the text of any element inside. */
function readingText(rdg: Element): string {
  let out = "";
  const stack = nodes(rdg).reverse();
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n) break;
    // A line break of the file's layout is a space, as in the text (inline.ts), or nothing at the
    // reading's ends; `lb` is a line break.
    if (n.nodeType === 3) out += (n.nodeValue ?? "").replace(/\s*\n\s*/g, "\uE000");
    else if (n.nodeType === 4) out += n.nodeValue ?? "";
    else if (n.nodeType === 1 && (n as Element).localName === "lb") out += "\n";
    else if (n.nodeType === 1) stack.push(...nodes(n as Element).reverse());
  }
  return out.replace(/^\uE000|\uE000$/g, "").replace(/\uE000/g, " ");
}

/** Markup inside a reading: its words are the reading's text; an element without words (a gap) is lost. */
function reportReadingMarkup(state: ReadState, rdg: Element): void {
  for (const el of descendants(rdg)) {
    const name = el.localName ?? "";
    // `witStart`/`witEnd` are what our export writes for a partial witness (read from its register entry).
    if (name === "lb" || name === "witStart" || name === "witEnd") continue;
    if ((el.textContent ?? "").trim() !== "")
      state.report.converted(
        el,
        `<${name}> in <rdg>`,
        "its words are kept in the reading's text, not its markup",
      );
    else state.report.dropped(el, `<${name}> in <rdg>`, "a reading holds words only");
  }
}
