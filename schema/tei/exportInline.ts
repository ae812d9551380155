/**
 * TEI export of inline content: marks as properly nested elements (apparatus entries, glossary links,
 * `choice`, transcription, languages, renditions), footnotes, additions, page breaks and gaps; and the
 * export's shared state.
 */
import type { Mark, Node } from "prosemirror-model";
import type * as Y from "yjs";
import type { ApparatusEntry } from "../apparatus.ts";
import { readEntry } from "../apparatus.ts";
import { escapeXml as x } from "../escape.ts";
import type { GlossaryKind, GlossaryRecord } from "../glossary.ts";
import { type ApparatusCtx, appOpen, lemOpen, readings, respPointer, teiEntry } from "../teiApparatus.ts";
import { citeElement } from "./bibliography.ts";

/** The TEI element that links a mention to a glossary entry of each kind. */
export const GLOSS_ELEMENT: Record<GlossaryKind, { name: string; type?: string }> = {
  person: { name: "persName" },
  organisation: { name: "orgName" },
  place: { name: "placeName" },
  event: { name: "term", type: "event" },
  term: { name: "term" },
  publication: { name: "term", type: "publication" },
};

export interface Ctx extends ApparatusCtx {
  ydoc: Y.Doc;
  glossary: Map<string, GlossaryRecord>;
  entries: Map<string, ApparatusEntry | null>;
  openedApps: Set<string>;
  noteNumber: number;
}
export function uri(address: string): string {
  return address.trim().replace(/\s+/g, "%20") || "#";
}

export function idAttr(node: Node): string {
  const id = node.attrs.id as string | null;
  return id && /^[A-Za-z_][\w.-]*$/.test(id) ? ` xml:id="${x(id)}"` : "";
}

export function respAttr(resp: string | null, ctx: Ctx): string {
  if (!resp) return "";
  if (ctx.sigla.has(resp)) return ` resp="#${x(resp)}"`;
  return ` resp="${x(respPointer(resp, "notes", ctx))}"`;
}

/** The entry as the TEI carries it (accepted and proposed readings, typed); null if rejected. */
export function entryOf(id: string, ctx: Ctx): ApparatusEntry | null {
  if (!ctx.entries.has(id)) ctx.entries.set(id, teiEntry(readEntry(ctx.ydoc, id)));
  return ctx.entries.get(id) ?? null;
}

/**
 * The marks of a run that become elements, outermost first: apparatus entries, then glossary links, then
 * emphasis; among marks of one kind, the one whose stretch starts earlier (or, starting together, runs
 * longer) encloses the other, so that "Workers' Group of the RCP" holds the link to the RCP inside it.
 */
function elementMarks(marks: readonly Mark[], ctx: Ctx, extent: (m: Mark) => [number, number]): Mark[] {
  const rank = (m: Mark) =>
    ({
      lemma: 0,
      gloss: 1,
      choice: 2,
      supplied: 3,
      unclear: 4,
      foreign: 5,
      em: 6,
      strong: 7,
      hi: 8,
      ocr: 8.5,
    })[m.type.name] ?? 9;
  return marks
    .filter((m) => {
      if (m.type.name === "lemma") {
        return entryOf(m.attrs.app, ctx) !== null;
      }
      if (m.type.name === "gloss") return ctx.glossary.has(m.attrs.entry);
      return true;
    })
    .sort((a, b) => {
      const [as, ae] = extent(a);
      const [bs, be] = extent(b);
      return rank(a) - rank(b) || as - bs || be - ae;
    });
}

/** Inline content with properly nested elements: a mark that must close early is reopened after. */
export function inline(parent: Node, ctx: Ctx): string {
  let out = "";
  const stack: { mark: Mark; close: string; suppressed: boolean }[] = [];
  const closeTo = (depth: number) => {
    while (stack.length > depth) out += (stack.pop() as { close: string }).close;
  };
  // Where each mark's stretch in this block starts and ends (in child indexes), for nesting order.
  const kids: Node[] = [];
  parent.forEach((child) => {
    kids.push(child);
  });
  const runStart = new Map<Node, number>(kids.map((k, i) => [k, i]));
  parent.forEach((child) => {
    const at = runStart.get(child) as number;
    const wanted = child.isText
      ? elementMarks(child.marks, ctx, (m) => {
          // The stretch that contains this child, not the mark's first appearance in the block.
          let s = at;
          while (s > 0 && m.isInSet((kids[s - 1] as Node).marks)) s--;
          let e = at;
          while (e + 1 < kids.length && m.isInSet((kids[e + 1] as Node).marks)) e++;
          return [s, e];
        })
      : [];
    let common = 0;
    while (common < stack.length && common < wanted.length && stack[common]?.mark.eq(wanted[common] as Mark))
      common++;
    closeTo(common);
    for (const mark of wanted.slice(common)) {
      const [open, close, suppressed] = openMark(mark, ctx);
      out += open;
      stack.push({ mark, close, suppressed });
    }
    if (child.isText) out += x(child.text ?? "");
    else if (child.type.name === "hard_break") out += "<lb/>";
    else if (child.type.name === "page_break") out += pageBreak(child);
    else if (child.type.name === "gap") out += gap(child);
    else if (child.type.name === "note") out += footnote(child, ctx);
    else if (child.type.name === "anchor") out += addition(child.attrs.app, ctx);
  });
  closeTo(0);
  return out;
}

function openMark(mark: Mark, ctx: Ctx): [string, string, boolean] {
  switch (mark.type.name) {
    case "em":
      return ["<emph>", "</emph>", false];
    case "strong":
      return ['<hi rend="bold">', "</hi>", false];
    case "hi":
      return [mark.attrs.rend ? `<hi rend="${x(mark.attrs.rend)}">` : "<hi>", "</hi>", false];
    case "choice": {
      const { kind, altKind, alt } = mark.attrs as { kind: string; altKind: string; alt: string };
      return [`<choice><${kind}>`, `</${kind}><${altKind}>${x(alt)}</${altKind}></choice>`, false];
    }
    case "unclear":
    case "supplied": {
      const name = mark.type.name;
      return [
        `<${name}${mark.attrs.reason ? ` reason="${x(mark.attrs.reason)}"` : ""}>`,
        `</${name}>`,
        false,
      ];
    }
    case "foreign":
      return [
        mark.attrs.lang ? `<foreign xml:lang="${x(mark.attrs.lang)}">` : "<foreign>",
        "</foreign>",
        false,
      ];
    case "gloss": {
      const entry = ctx.glossary.get(mark.attrs.entry) as GlossaryRecord;
      const el = GLOSS_ELEMENT[entry.kind];
      return [
        `<${el.name}${el.type ? ` type="${el.type}"` : ""} ref="#${x(entry.id)}">`,
        `</${el.name}>`,
        false,
      ];
    }
    case "lemma": {
      const id = mark.attrs.app as string;
      const entry = entryOf(id, ctx) as ApparatusEntry;
      if (ctx.openedApps.has(id)) {
        ctx.warnings.push(
          `apparatus entry ${id}: its lemma is interrupted (it overlaps another entry or crosses a block); only its first part is exported as its lemma`,
        );
        return ["", "", true];
      }
      ctx.openedApps.add(id);
      return [`${appOpen(entry)}${lemOpen(entry, ctx)}`, `</lem>${readings(entry, ctx)}</app>`, false];
    }
    case "cite": {
      const el = citeElement(mark, ctx.ydoc, ctx.warnings);
      return el ? [el[0], el[1], false] : ["", "", true];
    }
    case "ocr": // machine output not yet accepted by a person: it stays marked as a draft in the TEI too
      return ['<seg type="ocr-draft">', "</seg>", false];
    case "facs": // the words of a zone (tei/facsimile.ts): ranked last, innermost, so it never splits a lemma
      return [`<seg facs="#${x(mark.attrs.zone)}">`, "</seg>", false];
    default:
      return ["", "", true];
  }
}

/** `gap` with why and how much, as the transcription gave them. */
function gap(node: Node): string {
  const attrs = ["reason", "extent", "unit"]
    .filter((a) => node.attrs[a])
    .map((a) => ` ${a}="${x(String(node.attrs[a]))}"`)
    .join("");
  return `<gap${attrs}/>`;
}

/** `pb` with its page number and scan, as the source gave them. */
function pageBreak(node: Node): string {
  const n = node.attrs.n as string | null;
  const facs = node.attrs.facs as string | null;
  return `<pb${n ? ` n="${x(n)}"` : ""}${facs ? ` facs="${x(uri(facs))}"` : ""}/>`;
}

function addition(id: string, ctx: Ctx): string {
  const entry = entryOf(id, ctx);
  if (!entry) return "";
  if (ctx.openedApps.has(id)) return "";
  ctx.openedApps.add(id);
  return `${appOpen(entry)}${lemOpen(entry, ctx, true)}${readings(entry, ctx)}</app>`;
}

function footnote(node: Node, ctx: Ctx): string {
  ctx.noteNumber++;
  const n = (node.attrs.label as string | null) ?? String(ctx.noteNumber);
  const attrs = `${idAttr(node)} type="${x(node.attrs.kind)}" place="foot" n="${x(n)}"${respAttr(node.attrs.resp, ctx)}`;
  return `<note${attrs}>${inline(node, ctx)}</note>`;
}
