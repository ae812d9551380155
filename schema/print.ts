/**
 * The print edition as one HTML page that lays itself out in a browser: the text is typeset once, on a
 * grid of fixed-height lines, and numbered; pages are windows onto that one typeset text, each taking as
 * many lines as leave room at its foot for the footnotes and the critical apparatus of those lines
 * (`12 Soviet] Russian WD`). Pure: it returns HTML; `server/print.ts` renders it to PDF in Chromium.
 */
import type { Node } from "prosemirror-model";
import type * as Y from "yjs";
import { type ApparatusEntry, formatEntry } from "./apparatus.ts";
import { readingCitations } from "./bibliography/reading.ts";
import type { CslFiles } from "./bibliography/styles.ts";
import { escapeXml as x } from "./escape.ts";
import { gapMarker, pageMarker } from "./htmlSource.ts";
import { readMeta } from "./layout.ts";
import { describeReport, type PublicationReport, publication } from "./publication.ts";
import { readBody } from "./readBody.ts";

/** Geometry of the printed page, in CSS pixels (A4 at 96 dpi). */
export const PRINT = { pageWidth: 794, pageHeight: 1123, margin: 72, lineHeight: 18 };

/**
 * The print edition's page. Only published readings are printed (`publication.ts`); what is left out is
 * said in an editorial report after the text, with every detached entry listed there.
 */
export function printDocument(live: Y.Doc, csl?: CslFiles): string {
  // Read in place: nothing here writes, and the body is read by readBody, which never does.
  const ydoc = live;
  const meta = readMeta(ydoc);
  const body = readBody(ydoc);
  const pub = publication(ydoc, body);
  const entry = pub.entry;
  const markProposed = pub.settings.includeProposed;
  const apparatus: Record<string, string> = {};
  const notes: Record<string, string> = {};
  let noteNo = 0;
  const cites = readingCitations(ydoc, csl);

  const inline = (parent: Node): string => {
    let out = "";
    let open: string | null = null;
    let lemmaText = "";
    const close = () => {
      if (open) {
        const e = entry(open) as ApparatusEntry;
        apparatus[open] = formatEntry(lemmaText, e, { markProposed });
        out += "</span>";
      }
      open = null;
      lemmaText = "";
    };
    parent.forEach((child) => {
      const lemma = child.isText
        ? child.marks.find((m) => m.type.name === "lemma" && entry(m.attrs.app) !== null)
        : undefined;
      const id = (lemma?.attrs.app as string | undefined) ?? null;
      if (id !== open) {
        close();
        if (id) {
          out += `<span class="lemma" data-app="${x(id)}">`;
          open = id;
        }
      }
      if (child.isText) {
        let t = x(child.text ?? "");
        if (child.marks.some((m) => m.type.name === "em")) t = `<em>${t}</em>`;
        if (child.marks.some((m) => m.type.name === "strong")) t = `<strong>${t}</strong>`;
        for (const m of child.marks) {
          if (m.type.name === "hi") t = `<span class="hi" data-rend="${x(m.attrs.rend)}">${t}</span>`;
          else if (m.type.name === "foreign" && m.attrs.lang)
            t = `<span lang="${x(m.attrs.lang)}">${t}</span>`;
          else if (m.type.name === "supplied") t = `[${t}]`;
          else if (m.type.name === "unclear") t = `<span class="unclear">${t}</span>`;
        }
        out += t;
        lemmaText += child.text ?? "";
      } else if (child.type.name === "note") {
        noteNo++;
        notes[`n${noteNo}`] =
          `${noteNo}. ${cites.noteHtml(child, noteNo, `n${noteNo}`, (c) => x(c.text ?? ""))}`;
        out += `<sup class="fn" data-note="n${noteNo}">${noteNo}</sup>`;
      } else if (child.type.name === "anchor") {
        const e = entry(child.attrs.app);
        if (e) {
          apparatus[child.attrs.app] = formatEntry("", e, { markProposed });
          out += `<span class="lemma anchor" data-app="${x(child.attrs.app)}"></span>`;
        }
      } else if (child.type.name === "hard_break") out += "<br>";
      else if (child.type.name === "page_break") out += pageMarker(child);
      else if (child.type.name === "gap") out += gapMarker(child);
    });
    close();
    return out;
  };
  const blocks: string[] = [];
  const walk = (node: Node) => {
    node.forEach((child) => {
      if (child.type.name === "heading") blocks.push(`<h2>${inline(child)}</h2>`);
      else if (child.type.name === "paragraph") blocks.push(`<p class="text">${inline(child)}</p>`);
      else if (child.type.name === "verse_line") blocks.push(`<p class="text l">${inline(child)}</p>`);
      else if (child.type.name === "block_note") {
        const inner: string[] = [];
        child.descendants((n) => {
          if (n.isTextblock) inner.push(`<p>${inline(n)}</p>`);
          return !n.isTextblock;
        });
        blocks.push(
          `<div class="remark"><p class="who">Note of the ${x(child.attrs.resp ?? "editor")}</p>${inner.join("")}</div>`,
        );
        // A textblock of a kind this page does not know still prints its words, as a paragraph.
      } else if (child.isTextblock) blocks.push(`<p class="text">${inline(child)}</p>`);
      else walk(child);
    });
  };
  walk(body);
  blocks.push(reportHtml(pub.report()));
  const { pageWidth, pageHeight, margin, lineHeight } = PRINT;
  const textWidth = pageWidth - 2 * margin - 40;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${x(meta.title)}</title>
<style>
@page { size: ${pageWidth}px ${pageHeight}px; margin: 0; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "DejaVu Serif", Georgia, serif; color: #111; }
.flow { width: ${textWidth}px; font-size: 12.5px; line-height: ${lineHeight}px; }
.flow p { margin: 0; text-indent: 1.5em; }
.flow p.l { text-indent: 0; }
.flow h2 { margin: ${lineHeight}px 0 0; font-size: 13.5px; line-height: ${lineHeight}px; font-variant: small-caps; letter-spacing: .04em; }
.flow .remark { font-size: 11px; margin-left: 2em; }
.flow .remark p { text-indent: 0; }
.flow .who { font-style: italic; }
.flow sup.fn { line-height: 0; font-size: 8px; vertical-align: 0; position: relative; top: -5px; }
#measure { position: absolute; left: 0; top: 0; visibility: hidden; }
.page { position: relative; width: ${pageWidth}px; height: ${pageHeight}px; overflow: hidden; break-after: page; }
.page .window { position: absolute; left: ${margin + 40}px; top: ${margin}px; width: ${textWidth}px; overflow: hidden; }
.page .window .flow { position: absolute; left: 0; }
.page .numbers { position: absolute; left: ${margin}px; top: ${margin}px; width: 30px; font-size: 9px; line-height: ${lineHeight}px; text-align: right; color: #555; }
.page .foot { position: absolute; left: ${margin + 40}px; width: ${textWidth}px; font-size: 9.5px; line-height: 12px; border-top: .5px solid #999; padding-top: 4px; }
.foot .app { margin: 0; } .foot .notes { margin: 0 0 4px; }
.foot .num { font-weight: bold; }
.page .folio { position: absolute; bottom: ${margin / 2}px; width: 100%; text-align: center; font-size: 10px; }
.flow .report { font-size: 11px; margin-top: ${lineHeight}px; }
.flow .report p { text-indent: 0; }
.title { font-size: 16px; text-align: center; margin: 0 0 ${lineHeight}px; line-height: ${lineHeight * 2}px; }
</style></head>
<body>
<div id="measure"><div class="flow" id="flow"><p class="title" style="text-indent:0">${x(meta.title)}</p>${blocks.join("\n")}</div></div>
<div id="pages"></div>
<script id="data" type="application/json">${JSON.stringify({ apparatus, notes, restart: pub.settings.lineNumbering === "section" }).replace(/</g, "\\u003c")}</script>
<script>${LAYOUT_SCRIPT}</script>
</body></html>`;
}

/** The in-page layout: numbering and pagination. Runs in the browser that renders the print edition. */
export const LAYOUT_SCRIPT = `
(() => {
  const LH = ${PRINT.lineHeight}, PAGE_H = ${PRINT.pageHeight}, MARGIN = ${PRINT.margin};
  const data = JSON.parse(document.getElementById("data").textContent);
  const flow = document.getElementById("flow");
  const top = flow.getBoundingClientRect().top;
  const totalRows = Math.round(flow.getBoundingClientRect().height / LH);
  // Line numbers count the text's own lines only (reledmac's convention): rows of paragraphs of text
  // are numbered 1, 2, 3 …; headings, notes, the title and blank space are not counted.
  const rowOf = (y) => Math.floor((y - top) / LH + 0.01);
  const kindOf = new Array(totalRows).fill(null);
  for (const p of flow.querySelectorAll("p.text")) {
    const r = p.getBoundingClientRect();
    for (let i = rowOf(r.top); i < Math.round((r.bottom - top) / LH); i++) kindOf[i] = "text";
  }
  for (const h of flow.querySelectorAll("h2")) { const r = h.getBoundingClientRect(); kindOf[rowOf(r.top)] = "head"; }
  for (const n of flow.querySelectorAll(".remark")) {
    const r = n.getBoundingClientRect();
    for (let i = rowOf(r.top); i < Math.round((r.bottom - top) / LH); i++) kindOf[i] = "note";
  }
  const numberOf = new Array(totalRows).fill(null);
  let counted = 0; let lines = 0;
  for (let i = 0; i < totalRows; i++) {
    if (kindOf[i] === "head" && data.restart) counted = 0;
    if (kindOf[i] === "text") { counted++; lines++; numberOf[i] = counted; }
  }
  // The key of a lemma: the number of its line; a lemma in a heading or a note is keyed so.
  const keyOf = (row) => numberOf[row] !== null ? String(numberOf[row]) : kindOf[row] === "head" ? "head." : "note";
  const byRow = new Map();
  const put = (row, kind, id) => { if (!byRow.has(row)) byRow.set(row, []); byRow.get(row).push({ kind, id }); };
  // A mark's row is the row of the middle of its first box (a superscript is raised, a box may be empty).
  const mid = (el) => { const b = el.getClientRects()[0] ?? el.getBoundingClientRect(); return b.height > 0 ? (b.top + b.bottom) / 2 : b.top; };
  for (const el of flow.querySelectorAll(".lemma")) put(rowOf(mid(el)), "app", el.dataset.app);
  for (const el of flow.querySelectorAll("sup.fn")) put(rowOf(mid(el) + 4), "note", el.dataset.note);
  const pages = document.getElementById("pages");
  const foot = (items) => {
    const div = document.createElement("div");
    div.className = "foot";
    const notes = items.filter((i) => i.kind === "note");
    const apps = items.filter((i) => i.kind === "app");
    if (notes.length) { const n = document.createElement("div"); n.className = "notes"; n.innerHTML = notes.map((i) => "<p class=\\"note\\">" + data.notes[i.id] + "</p>").join(""); div.append(n); }
    if (apps.length) { const a = document.createElement("div"); a.className = "app"; a.innerHTML = apps.map((i) => "<span class=\\"entry\\" data-app=\\"" + i.id + "\\"><span class=\\"num\\">" + i.key + "</span> " + data.apparatus[i.id].replace(/&/g, "&amp;").replace(/</g, "&lt;") + "</span>").join(" ; "); div.append(a); }
    return div;
  };
  const measureFoot = (items) => { const f = foot(items); f.style.position = "absolute"; f.style.visibility = "hidden"; document.body.append(f); const h = items.length ? f.getBoundingClientRect().height + 8 : 0; f.remove(); return h; };
  // The blocks of the flow with their boxes, in order: each page clones only the blocks it shows (a
  // clone of the whole flow per page made a long edition quadratic: 1 M characters never printed).
  const blocks = [...flow.children].map((el) => { const r = el.getBoundingClientRect(); return { el, top: r.top - top, bottom: r.bottom - top }; });
  let firstBlock = 0;
  const windowOf = (y0, y1) => {
    while (firstBlock < blocks.length && blocks[firstBlock].bottom <= y0) firstBlock++;
    const clone = flow.cloneNode(false);
    clone.removeAttribute("id");
    let first = true;
    for (let b = firstBlock; b < blocks.length && blocks[b].top < y1; b++) {
      const c = blocks[b].el.cloneNode(true);
      // The first block is pinned where it stood in the flow (padding keeps its margin from collapsing
      // through); the ones after it keep their own margins, so they stand where they stood too.
      if (first) { clone.style.paddingTop = blocks[b].top + "px"; c.style.marginTop = "0px"; first = false; }
      clone.append(c);
    }
    return clone;
  };
  const report = { pages: 0, lines, apparatus: [] };
  let line = 1;
  while (line <= totalRows) {
    const avail = PAGE_H - 2 * MARGIN - 20;
    let k = 0; let items = []; let itemsH = 0;
    while (line + k <= totalRows) {
      const row = line + k - 1;
      const here = byRow.get(row);
      const next = here ? items.concat(here.map((i) => ({ ...i, row, key: keyOf(row) }))) : items;
      // The foot is measured again only when a row brings notes or entries to it.
      const footH = next === items ? itemsH : measureFoot(next);
      if ((k + 1) * LH + footH > avail && k > 0) break;
      items = next; itemsH = footH; k++;
    }
    const page = document.createElement("div");
    page.className = "page";
    page.dataset.first = String(line);
    const numbers = document.createElement("div");
    numbers.className = "numbers";
    for (let i = 0; i < k; i++) { const n = document.createElement("div"); const ln = numberOf[line - 1 + i]; if (ln !== null) n.dataset.line = String(ln); n.textContent = ln !== null && ln % 5 === 0 ? String(ln) : "\\u00a0"; numbers.append(n); }
    const win = document.createElement("div");
    win.className = "window";
    win.style.height = (k * LH) + "px";
    const clone = windowOf((line - 1) * LH, (line - 1 + k) * LH);
    clone.style.top = (-(line - 1) * LH) + "px";
    win.append(clone);
    const f = foot(items);
    f.style.top = (MARGIN + k * LH + 10) + "px";
    const folio = document.createElement("div");
    folio.className = "folio";
    folio.textContent = String(report.pages + 1);
    page.append(numbers, win, f, folio);
    pages.append(page);
    for (const i of items) if (i.kind === "app") report.apparatus.push({ app: i.id, line: numberOf[i.row], key: i.key, page: report.pages + 1 });
    report.pages++;
    line += k;
  }
  document.getElementById("measure").remove();
  window.printReport = report;
})();
`;

/** The editorial report after the text: what the apparatus leaves out and why; every detached entry. */
function reportHtml(report: PublicationReport): string {
  const detached = report.leftOut.filter((l) => l.reason === "detached");
  const list = detached.length
    ? `<p><em>Detached entries</em> (their lemma was deleted from the text; not in the apparatus):</p>${detached
        .map(
          (d) =>
            `<p class="detached" data-app="${x(d.id)}">${x(d.id)}: ${x(formatEntry(d.lemma || "(lemma not recorded)", d.entry))}</p>`,
        )
        .join("")}`
    : "";
  return `<div class="report"><h2 class="report-head">Editorial report</h2>${describeReport(report)
    .map((l) => `<p>${x(l)}</p>`)
    .join("")}${list}</div>`;
}
