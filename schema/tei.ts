/**
 * TEI P5 export of an edition: parallel segmentation for the apparatus (`app`/`lem`/`rdg`), notes as
 * `note`, glossary links as `persName`/`orgName`/`placeName`/`term` pointing into `standOff`, the witness
 * register as `listWit`. Pure: it reads the document without writing to it and returns a string, so it
 * can never change the live one. Deterministic: the same document always gives the same file (no clock
 * reads), so that importing an export and exporting again gives the same bytes.
 */
import type { Node } from "prosemirror-model";
import type * as Y from "yjs";
import { type ApparatusEntry, detachedEntries, readEntry } from "./apparatus.ts";
import { escapeXml as x } from "./escape.ts";
import { listGlossary } from "./glossary.ts";
import { copyDoc, ROOTS, readMeta } from "./layout.ts";
import { readBody } from "./readBody.ts";
import { schema } from "./schema.ts";
import { writeBibliographyStandOff } from "./tei/bibliography.ts";
import { type Ctx, GLOSS_ELEMENT, idAttr, inline, respAttr, uri } from "./tei/exportInline.ts";
import { writeStandOff } from "./tei/exportStandOff.ts";
import { type Facsimile, zonedBody } from "./tei/facsimile.ts";
import { detachedList, readingSources, respId } from "./teiApparatus.ts";
import { listWitnesses, type WitnessRecord } from "./witnesses.ts";

export { GLOSS_ELEMENT };

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

/**
 * Exports the edition held in `live` (never written to) as a TEI P5 document; with `facsimile`, the
 * text is that witness's, with its page images and zones (`tei/facsimile.ts`).
 */
export function exportTei(live: Y.Doc, revisions: Revision[] = [], facsimile?: Facsimile): TeiExport {
  // A witness's facsimile is read through y-prosemirror's mapping, which may write: on a copy. The
  // edition is read in place (readBody never writes).
  const ydoc = facsimile ? copyDoc(live) : live;
  const meta = readMeta(ydoc);
  const zoned = facsimile ? zonedBody(ydoc, facsimile) : null;
  const body = zoned?.body ?? readBody(ydoc);
  const witnesses = listWitnesses(ydoc);
  const glossary = listGlossary(ydoc);
  const warnings: string[] = [...(zoned?.warnings ?? [])];
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
  if (zoned) out.push(...zoned.lines.map((l) => `  ${l}`));
  out.push("  <text>");
  if (frontNode) out.push("    <front>", ...frontLines.map((l) => `      ${l}`), "    </front>");
  out.push("    <body>");
  out.push(...text.map((l) => `      ${l}`));
  out.push("    </body>");
  if (backNode) out.push("    <back>", ...backLines.map((l) => `      ${l}`), "    </back>");
  out.push("  </text>");
  // Citations of apparatus entries only where the export writes the entry (not a rejected one).
  const written = new Set([...ctx.openedApps, ...detached.map((e) => e.id)]);
  const standOff = [
    ...detachedLines,
    ...writeStandOff(glossary),
    ...writeBibliographyStandOff(ydoc, written),
  ];
  if (standOff.length > 0) out.push("  <standOff>", ...standOff.map((l) => `    ${l}`), "  </standOff>");
  out.push("</TEI>");
  return { xml: `${out.join("\n")}\n`, warnings };
}

function dedupeRevisions(revisions: Revision[]): Revision[] {
  const seen = new Map<string, Revision>();
  for (const r of revisions) seen.set(`${r.when}\u0000${r.label}`, r);
  return [...seen.values()].sort((a, b) => a.when.localeCompare(b.when) || a.label.localeCompare(b.label));
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
