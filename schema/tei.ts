/**
 * TEI P5 export of an edition: parallel segmentation for the apparatus (`app`/`lem`/`rdg`), notes as
 * `note`, glossary links as `persName`/`orgName`/`placeName`/`term` pointing into `standOff`, the witness
 * register as `listWit`. Pure: it reads a copy of the document and returns a string, so it can never
 * change the live one. Deterministic: the same document always gives the same file (no clock reads), so
 * that importing an export and exporting again gives the same bytes.
 */
import type { Mark, Node } from "prosemirror-model";
import { yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import type * as Y from "yjs";
import { type ApparatusEntry, detachedEntries, readEntry } from "./apparatus.ts";
import { escapeXml as x } from "./escape.ts";
import { type GlossaryKind, type GlossaryRecord, listGlossary } from "./glossary.ts";
import { copyDoc, ROOTS, readMeta } from "./layout.ts";
import { schema } from "./schema.ts";
import {
  type ApparatusCtx,
  appOpen,
  detachedList,
  lemOpen,
  readingSources,
  readings,
  respId,
  respPointer,
  teiEntry,
} from "./teiApparatus.ts";
import { listWitnesses, type WitnessRecord } from "./witnesses.ts";

/** A named version or other dated change, listed in `revisionDesc`. */
export interface Revision {
  when: string;
  who: string | null;
  label: string;
}

export interface TeiExport {
  xml: string;
  /** What could not be expressed exactly, one line each (never dropped silently). */
  warnings: string[];
}

const TEI_NS = "http://www.tei-c.org/ns/1.0";

/** The TEI element that links a mention to a glossary entry of each kind. */
export const GLOSS_ELEMENT: Record<GlossaryKind, { name: string; type?: string }> = {
  person: { name: "persName" },
  organisation: { name: "orgName" },
  place: { name: "placeName" },
  event: { name: "term", type: "event" },
  term: { name: "term" },
  publication: { name: "term", type: "publication" },
};

/** Exports the edition held in `live` (read through a copy) as a TEI P5 document. */
export function exportTei(live: Y.Doc, revisions: Revision[] = []): TeiExport {
  const ydoc = copyDoc(live);
  const meta = readMeta(ydoc);
  const body = yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(ROOTS.body), schema);
  const witnesses = listWitnesses(ydoc);
  const glossary = listGlossary(ydoc);
  const warnings: string[] = [];
  const ctx: Ctx = {
    ydoc,
    base: meta.baseWitness,
    witnesses,
    sigla: new Set(witnesses.map((w) => w.siglum)),
    glossary: new Map(glossary.map((g) => [g.id, g])),
    entries: new Map(),
    openedApps: new Set(),
    noteNumber: 0,
    warnings,
    resps: new Map(),
  };
  // Front and back matter open and close the document; anywhere else they are read as divisions.
  const kids: Node[] = [];
  body.forEach((c) => {
    kids.push(c);
  });
  const isMatter = (n: Node | undefined, part: string) => n?.type.name === "matter" && n.attrs.part === part;
  const frontNode = isMatter(kids[0], "front") ? kids.shift() : undefined;
  const backNode = isMatter(kids.at(-1), "back") ? kids.pop() : undefined;
  const part = (n: Node | undefined) => (n ? writeBody(n, ctx) : []);
  const frontLines = part(frontNode);
  const text = writeBody(
    schema.nodes.doc.create(null, kids.length > 0 ? kids : [schema.nodes.paragraph.create()]),
    ctx,
  );
  const backLines = part(backNode);
  const detached = detachedEntries(ydoc, body)
    .map((id) => readEntry(ydoc, id))
    .filter((e): e is ApparatusEntry => e !== null);
  const detachedLines = detachedList(detached, ctx);
  const storedRevisions = (ydoc.getMap(ROOTS.meta).get("revisions") as Revision[] | undefined) ?? [];
  const allRevisions = dedupeRevisions([...storedRevisions, ...revisions]);
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<TEI xmlns="${TEI_NS}">`);
  out.push("  <teiHeader>");
  out.push("    <fileDesc>");
  out.push("      <titleStmt>");
  out.push(`        <title>${x(meta.title)}</title>`);
  for (const [resp, roles] of [...ctx.resps].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(
      `        <respStmt xml:id="${respId(resp)}"><resp>${x([...roles].sort().join(", "))}</resp><name>${x(resp)}</name></respStmt>`,
    );
  }
  out.push("      </titleStmt>");
  out.push("      <publicationStmt>");
  out.push("        <publisher>Variorum</publisher>");
  out.push(`        <idno type="edition">${x(meta.id)}</idno>`);
  out.push("      </publicationStmt>");
  out.push("      <sourceDesc>");
  if (meta.provenance) {
    const p = meta.provenance;
    out.push(`        <bibl type="base-text" corresp="#${x(meta.baseWitness)}">`);
    out.push(`          <title>${x(p.title)}</title>`);
    out.push(`          <publisher>${x(p.publication)}</publisher>`);
    out.push(`          <date>${x(p.date)}</date>`);
    out.push(`          <ref target="${x(uri(p.address))}">${x(p.address)}</ref>`);
    for (const [key, value] of Object.entries(p.extra ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      out.push(`          <note type="${x(key)}">${x(value)}</note>`);
    }
    out.push("        </bibl>");
  }
  const ofText = witnesses.filter((w) => w.kind !== "source");
  if (ofText.length > 0) {
    out.push("        <listWit>");
    for (const w of ofText) out.push(...writeWitness(w, meta.baseWitness));
    out.push("        </listWit>");
  }
  out.push(...readingSources(witnesses).map((l) => `        ${l}`));
  if (!meta.provenance && witnesses.length === 0)
    out.push("        <p>No source is recorded for this edition.</p>");
  out.push("      </sourceDesc>");
  out.push("    </fileDesc>");
  out.push("    <encodingDesc>");
  out.push('      <variantEncoding method="parallel-segmentation" location="internal"/>');
  out.push("    </encodingDesc>");
  out.push("    <revisionDesc>");
  if (allRevisions.length === 0) out.push('      <change type="none">No named versions yet.</change>');
  for (const r of allRevisions) {
    // An empty @when is invalid TEI: a change without a date is written without one.
    const when = r.when ? ` when="${x(r.when)}"` : "";
    out.push(`      <change${when}${r.who ? ` resp="${x(r.who)}"` : ""}>${x(r.label)}</change>`);
  }
  out.push("    </revisionDesc>");
  out.push("  </teiHeader>");
  out.push("  <text>");
  if (frontNode) out.push("    <front>", ...frontLines.map((l) => `      ${l}`), "    </front>");
  out.push("    <body>");
  out.push(...text.map((l) => `      ${l}`));
  out.push("    </body>");
  if (backNode) out.push("    <back>", ...backLines.map((l) => `      ${l}`), "    </back>");
  out.push("  </text>");
  const standOff = [...detachedLines, ...writeStandOff(glossary)];
  if (standOff.length > 0) out.push("  <standOff>", ...standOff.map((l) => `    ${l}`), "  </standOff>");
  out.push("</TEI>");
  return { xml: `${out.join("\n")}\n`, warnings };
}

function dedupeRevisions(revisions: Revision[]): Revision[] {
  const seen = new Map<string, Revision>();
  for (const r of revisions) seen.set(`${r.when}\u0000${r.label}`, r);
  return [...seen.values()].sort((a, b) => a.when.localeCompare(b.when) || a.label.localeCompare(b.label));
}

interface Ctx extends ApparatusCtx {
  ydoc: Y.Doc;
  glossary: Map<string, GlossaryRecord>;
  entries: Map<string, ApparatusEntry | null>;
  openedApps: Set<string>;
  noteNumber: number;
}

function uri(address: string): string {
  return address.trim().replace(/\s+/g, "%20") || "#";
}

export { respId };

function writeWitness(w: WitnessRecord, base: string): string[] {
  const lines = [`          <witness xml:id="${x(w.siglum)}"${w.siglum === base ? ' n="base"' : ""}>`];
  lines.push("            <bibl>");
  lines.push(`              <title>${x(w.title)}</title>`);
  if (w.publication) lines.push(`              <publisher>${x(w.publication)}</publisher>`);
  if (w.date) lines.push(`              <date>${x(w.date)}</date>`);
  if (w.address) lines.push(`              <ref target="${x(uri(w.address))}">${x(w.address)}</ref>`);
  if (w.language) lines.push(`              <textLang mainLang="${x(w.language)}"/>`);
  lines.push(`              <note type="coverage" subtype="${w.coverage}">${x(w.covers)}</note>`);
  if (w.description) lines.push(`              <note type="description">${x(w.description)}</note>`);
  if (w.provenance) lines.push(`              <note type="provenance">${x(w.provenance)}</note>`);
  lines.push(`              <note type="text-held">${w.hasText ? "yes" : "no"}</note>`);
  if (w.coveredBlocks.length > 0) {
    lines.push(`              <note type="covered-blocks">${x(w.coveredBlocks.join(" "))}</note>`);
  }
  lines.push("            </bibl>");
  lines.push("          </witness>");
  return lines;
}

/** The body: divisions opened by headings, nested by heading level. */
function writeBody(doc: Node, ctx: Ctx): string[] {
  const out: string[] = [];
  const open: number[] = [];
  const indent = () => "  ".repeat(open.length);
  doc.forEach((node) => {
    if (node.type.name === "heading") {
      const level = node.attrs.level as number;
      while (open.length > 0 && (open.at(-1) as number) >= level) {
        open.pop();
        out.push(`${indent()}</div>`);
      }
      out.push(`${indent()}<div>`);
      open.push(level);
      out.push(`${indent()}<head${idAttr(node)} rend="h${level}">${inline(node, ctx)}</head>`);
      return;
    }
    for (const line of block(node, ctx)) out.push(`${indent()}${line}`);
  });
  while (open.length > 0) {
    open.pop();
    out.push(`${indent()}</div>`);
  }
  if (out.length === 0) out.push("<p/>");
  return out;
}

function idAttr(node: Node): string {
  const id = node.attrs.id as string | null;
  return id && /^[A-Za-z_][\w.-]*$/.test(id) ? ` xml:id="${x(id)}"` : "";
}

function respAttr(resp: string | null, ctx: Ctx): string {
  if (!resp) return "";
  if (ctx.sigla.has(resp)) return ` resp="#${x(resp)}"`;
  return ` resp="${x(respPointer(resp, "notes", ctx))}"`;
}

function block(node: Node, ctx: Ctx): string[] {
  switch (node.type.name) {
    case "paragraph":
      return [`<p${idAttr(node)}>${inline(node, ctx)}</p>`];
    case "heading":
      return [`<p${idAttr(node)} rend="heading">${inline(node, ctx)}</p>`];
    case "verse_line": {
      const n = node.attrs.n ? ` n="${x(node.attrs.n)}"` : "";
      return [`<l${idAttr(node)}${n}>${inline(node, ctx)}</l>`];
    }
    case "matter":
      // Front or back matter in the middle of the text: its blocks, in a division that says which.
      return [`<div type="${x(node.attrs.part)}">`, ...children(node, ctx).map((l) => `  ${l}`), "</div>"];
    case "speech": {
      const who = node.attrs.who ? ` who="${x(node.attrs.who)}"` : "";
      return [`<sp${idAttr(node)}${who}>`, ...children(node, ctx).map((l) => `  ${l}`), "</sp>"];
    }
    case "speaker":
      return [`<speaker>${inline(node, ctx)}</speaker>`];
    case "stage": {
      const type = node.attrs.type ? ` type="${x(node.attrs.type)}"` : "";
      return [`<stage${type}>${inline(node, ctx)}</stage>`];
    }
    case "line_group": {
      const type = node.attrs.type ? ` type="${x(node.attrs.type)}"` : "";
      return [`<lg${idAttr(node)}${type}>`, ...children(node, ctx).map((l) => `  ${l}`), "</lg>"];
    }
    case "blockquote":
      return ['<quote type="block">', ...children(node, ctx).map((l) => `  ${l}`), "</quote>"];
    case "bullet_list":
    case "ordered_list": {
      const rend = node.type.name === "bullet_list" ? "bulleted" : "numbered";
      const lines = [`<list rend="${rend}">`];
      node.forEach((item) => {
        lines.push("  <item>", ...children(item, ctx).map((l) => `    ${l}`), "  </item>");
      });
      lines.push("</list>");
      return lines;
    }
    case "block_note": {
      const attrs = `${idAttr(node)} type="${x(node.attrs.kind)}" place="inline"${respAttr(node.attrs.resp, ctx)}`;
      return [`<note${attrs}>`, ...children(node, ctx).map((l) => `  ${l}`), "</note>"];
    }
    default:
      ctx.warnings.push(
        `block of type "${node.type.name}" has no TEI mapping; its text is exported as a paragraph`,
      );
      return [`<p>${x(node.textContent)}</p>`];
  }
}

function children(node: Node, ctx: Ctx): string[] {
  const out: string[] = [];
  node.forEach((child) => {
    out.push(...block(child, ctx));
  });
  return out;
}

/** The entry as the TEI carries it (accepted and proposed readings, typed); null if rejected. */
function entryOf(id: string, ctx: Ctx): ApparatusEntry | null {
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
    ({ lemma: 0, gloss: 1, choice: 2, supplied: 3, unclear: 4, foreign: 5, em: 6, strong: 7, hi: 8 })[
      m.type.name
    ] ?? 9;
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
function inline(parent: Node, ctx: Ctx): string {
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

function writeStandOff(glossary: GlossaryRecord[]): string[] {
  const out: string[] = [];
  const group = (kinds: GlossaryKind[]) => glossary.filter((g) => kinds.includes(g.kind));
  const idnos = (g: GlossaryRecord, pad: string) => [
    ...(g.wikidata ? [`${pad}<idno type="wikidata">${x(g.wikidata)}</idno>`] : []),
    ...(g.viaf ? [`${pad}<idno type="VIAF">${x(g.viaf)}</idno>`] : []),
  ];
  const notes = (g: GlossaryRecord, pad: string) => [
    `${pad}<note type="definition">${x(g.definition)}</note>`,
    ...(g.source ? [`${pad}<note type="source">${x(g.source)}</note>`] : []),
  ];
  const named = (list: string, item: string, name: string, kinds: GlossaryKind[]) => {
    const entries = group(kinds);
    if (entries.length === 0) return;
    out.push(`<${list}>`);
    for (const g of entries) {
      out.push(`  <${item} xml:id="${x(g.id)}">`);
      out.push(`    <${name} type="main">${x(g.headword)}</${name}>`);
      for (const f of g.forms) out.push(`    <${name} type="variant">${x(f)}</${name}>`);
      out.push(...idnos(g, "    "), ...notes(g, "    "));
      out.push(`  </${item}>`);
    }
    out.push(`</${list}>`);
  };
  named("listPerson", "person", "persName", ["person"]);
  named("listOrg", "org", "orgName", ["organisation"]);
  named("listPlace", "place", "placeName", ["place"]);
  const terms = group(["event", "term", "publication"]);
  if (terms.length > 0) {
    out.push('<list type="glossary">');
    for (const g of terms) {
      out.push(`  <item xml:id="${x(g.id)}" n="${g.kind}">`);
      out.push(`    <term type="main">${x(g.headword)}</term>`);
      for (const f of g.forms) out.push(`    <term type="variant">${x(f)}</term>`);
      out.push(`    <gloss>${x(g.definition)}</gloss>`);
      if (g.source) out.push(`    <note type="source">${x(g.source)}</note>`);
      out.push(...idnos(g, "    "));
      out.push("  </item>");
    }
    out.push("</list>");
  }
  return out;
}
