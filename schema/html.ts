/**
 * The reading edition as HTML: the same pages whether served at /read/<id>/ or written as a static site
 * (`npx variorum export html`). Pure: it reads the document (never writing to it) and returns files.
 *
 * - Footnote and apparatus markers are buttons that open their note in place (the HTML popover
 *   attribute: no script needed, focusable, announced); each section lists its notes at its end.
 * - Glossary links show their entry on hover and on focus, and lead to the glossary page, which lists
 *   every entry with links back to each occurrence.
 * - The witness switch shows the text as each witness reconstructs it (a partial witness's missing
 *   stretches as lacunae), and variant types can be hidden: `reader.js` sets two attributes on <body>.
 * - Permalinks are the document's own ids: paragraphs (`#p12`), notes (`#note-…`), apparatus entries
 *   (`#app-…`), glossary entries (`#gl-…`), so they survive re-export while the thing exists.
 */
import type { Mark, Node } from "prosemirror-model";
import type * as Y from "yjs";
import { type ApparatusEntry, formatEntry, VARIANT_TYPE_LABELS, VARIANT_TYPES } from "./apparatus.ts";
import { authorityLinks } from "./authority.ts";
import { BIBLIOGRAPHY_PAGE, type ReadingCitations, readingCitations } from "./bibliography/reading.ts";
import type { CslFiles } from "./bibliography/styles.ts";
import { picturesSection } from "./editionPictures.ts";
import { escapeXml as x } from "./escape.ts";
import { type GlossaryRecord, listGlossary } from "./glossary.ts";
import { gapMarker, hasChoice, pageMarker, sourceMark } from "./htmlSource.ts";
import { readMeta } from "./layout.ts";
import { describeReport, type Publication, type PublicationReport, publication } from "./publication.ts";
import { type ScanAssets, scansFiles, scansHtml } from "./publish/scans.ts";
import { readingSearchFiles } from "./publish/searchIndex.ts";
import { readBody } from "./readBody.ts";
import { listWitnesses, type WitnessRecord } from "./witnesses.ts";

export interface SiteFile {
  path: string;
  content: string;
}

interface Ctx {
  ydoc: Y.Doc;
  pub: Publication;
  base: string;
  witnesses: WitnessRecord[];
  glossary: Map<string, GlossaryRecord>;
  mentions: Map<string, string[]>;
  notes: { id: string; n: number; html: string; kind: string }[];
  noteCount: number;
  cardCount: number;
  openedApps: Set<string>;
  bib: ReadingCitations;
}

const KIND_LABEL: Record<string, string> = {
  original: "Original note",
  editorial: "Editorial note",
  translator: "Translator's note",
};

/** The reading edition's files: index.html, glossary.html, reader.css, reader.js. */
export function readingEdition(
  live: Y.Doc,
  assets: { css: string; js: string; search?: string; csl?: CslFiles; scans?: ScanAssets },
): SiteFile[] {
  // Read in place: nothing here writes, and the body is read by readBody, which never does.
  const ydoc = live;
  const meta = readMeta(ydoc);
  const body = readBody(ydoc);
  const glossary = listGlossary(ydoc);
  const ctx: Ctx = {
    ydoc,
    pub: publication(ydoc, body),
    base: meta.baseWitness,
    witnesses: listWitnesses(ydoc),
    glossary: new Map(glossary.map((g) => [g.id, g])),
    mentions: new Map(),
    notes: [],
    noteCount: 0,
    cardCount: 0,
    openedApps: new Set(),
    bib: readingCitations(ydoc, assets.csl),
  };
  const sections = renderSections(body, ctx);
  const switcher = ctx.witnesses
    .filter((w) => w.siglum === ctx.base || w.hasText)
    .map(
      (w) =>
        `<option value="${x(w.siglum)}">${x(w.siglum)} — ${x(w.title)}${w.coverage === "partial" ? " (partial)" : ""}</option>`,
    )
    .join("");
  const filters = VARIANT_TYPES.map(
    (t) =>
      `<label><input type="checkbox" name="type" value="${t}" checked> ${x(VARIANT_TYPE_LABELS[t])}</label>`,
  ).join(" ");
  const p = meta.provenance;
  const about = p
    ? `<p class="provenance">Base text (${x(meta.baseWitness)}): ${x(p.title)}, ${x(p.publication)}, ${x(p.date)}. <a href="${x(p.address)}">${x(p.address)}</a></p>`
    : "";
  const wits = ctx.witnesses
    .map(
      (w) =>
        `<li><strong>${x(w.siglum)}</strong> ${x(w.title)}${w.publication ? `, ${x(w.publication)}` : ""}${w.date ? `, ${x(w.date)}` : ""}${w.kind === "source" ? " — a source of readings (a conjecture, an editor), not a witness" : w.hasText ? "" : " — no text held yet"}${ctx.bib.sourceLine({ kind: "witness", id: w.siglum }, "index.html#witnesses", "", "span")}</li>`,
    )
    .join("\n");
  const pictures = picturesSection(body, ctx.pub, ctx.witnesses, ctx.base);
  const index = page(
    meta.title,
    `<header class="masthead"><p class="kicker">A critical edition</p><h1>${x(meta.title)}</h1>${about}
<nav aria-label="Edition"><a href="glossary.html">Glossary</a>${ctx.bib.hasEntries ? ` · <a href="${BIBLIOGRAPHY_PAGE}">Bibliography</a>` : ""} · <a href="#witnesses">Witnesses</a>${pictures ? ' · <a href="#pictures">Where the witnesses differ</a>' : ""}</nav></header>
<form class="controls" aria-label="How to read">
<label>Read the text as <select name="witness" id="witness">${switcher}</select></label>
<fieldset><legend>Show variants of type</legend>${filters}</fieldset>${hasChoice(body) ? '\n<label><input type="checkbox" name="choice" id="choice"> Show the editors\' corrections, regularisations and expansions</label>' : ""}
</form>
<main id="text" lang="en">
${sections}
</main>
${scansHtml(assets.scans)}
<section id="witnesses" aria-labelledby="witnesses-h"><h2 id="witnesses-h">Witnesses</h2><ul>${wits}</ul></section>
${pictures}
${reportHtml(ctx.pub.report())}`,
  );
  const glossaryPage = page(`Glossary — ${meta.title}`, renderGlossary(glossary, ctx, meta.title));
  return [
    { path: "index.html", content: index },
    { path: "glossary.html", content: glossaryPage },
    ...(ctx.bib.hasEntries
      ? [{ path: BIBLIOGRAPHY_PAGE, content: page(`Bibliography — ${meta.title}`, ctx.bib.page(meta.title)) }]
      : []),
    { path: "reader.css", content: assets.css },
    { path: "reader.js", content: assets.js },
    ...scansFiles(assets.scans),
    // The search (schema/publish/): built only when its script is given (the server serves the index apart).
    ...(assets.search === undefined
      ? []
      : readingSearchFiles(body, ctx.pub, glossary, meta.baseWitness, assets.search)),
  ];
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${x(title)}</title><link rel="stylesheet" href="reader.css"><script src="reader.js" defer></script>
<script src="reader-search.js" defer></script></head>
<body data-witness="">
<a class="skip" href="#text">Skip to the text</a>
${body}
</body>
</html>
`;
}

/** Sections opened by headings; each ends with the list of its notes. */
function renderSections(doc: Node, ctx: Ctx): string {
  const out: string[] = [];
  let open = false;
  const close = () => {
    if (!open) return;
    out.push(endnotes(ctx), "</section>");
    open = false;
  };
  doc.forEach((node) => {
    if (node.type.name === "heading") {
      close();
      const id = node.attrs.id as string | null;
      out.push(`<section aria-labelledby="${x(id ?? "")}">`);
      open = true;
      out.push(
        `<h${Math.min(6, (node.attrs.level as number) + 0)} id="${x(id ?? "")}" class="heading">${inline(node, ctx)}${permalink(id)}</h${Math.min(6, node.attrs.level as number)}>`,
      );
      return;
    }
    if (!open) {
      out.push("<section>");
      open = true;
    }
    out.push(block(node, ctx));
  });
  close();
  return out.join("\n");
}

function permalink(id: string | null): string {
  return id ? ` <a class="permalink" href="#${x(id)}" aria-label="Link to this passage">¶</a>` : "";
}

function endnotes(ctx: Ctx): string {
  if (ctx.notes.length === 0) return "";
  const items = ctx.notes
    .map(
      (n) =>
        `<li id="${x(n.id)}" value="${n.n}"><span class="note-kind">${x(KIND_LABEL[n.kind] ?? n.kind)}.</span> ${n.html} <a href="#ref-${x(n.id)}" aria-label="Back to the text">↩</a></li>`,
    )
    .join("\n");
  ctx.notes = [];
  return `<section class="endnotes" role="doc-endnotes" aria-label="Notes to this section"><ol>\n${items}\n</ol></section>`;
}

/** Which witnesses cover a block whole: full ones, and partial ones that list it. */
function coverClasses(node: Node, ctx: Ctx): string {
  const id = node.attrs.id as string | null;
  return ctx.witnesses
    .filter((w) => w.coverage === "full" || (id !== null && w.coveredBlocks.includes(id)))
    .map((w) => `cov-${w.siglum}`)
    .join(" ");
}

function block(node: Node, ctx: Ctx): string {
  switch (node.type.name) {
    case "paragraph": {
      const id = node.attrs.id as string | null;
      return `<p${id ? ` id="${x(id)}"` : ""} class="${coverClasses(node, ctx)}">${inline(node, ctx)}${permalink(id)}</p>`;
    }
    case "heading":
      return `<p class="heading ${coverClasses(node, ctx)}">${inline(node, ctx)}</p>`;
    case "verse_line": {
      const id = node.attrs.id as string | null;
      const n = node.attrs.n ? ` data-n="${x(node.attrs.n)}"` : "";
      return `<p${id ? ` id="${x(id)}"` : ""} class="l ${coverClasses(node, ctx)}"${n}>${inline(node, ctx)}${permalink(id)}</p>`;
    }
    case "line_group":
      return `<div class="lg">${children(node, ctx)}</div>`;
    case "matter":
      return `<div class="matter ${x(node.attrs.part)}">${children(node, ctx)}</div>`;
    case "speech":
      return `<div class="sp">${children(node, ctx)}</div>`;
    case "speaker":
      return `<p class="speaker">${inline(node, ctx)}</p>`;
    case "stage":
      return `<p class="stage ${coverClasses(node, ctx)}">${inline(node, ctx)}</p>`;
    case "blockquote":
      return `<blockquote>${children(node, ctx)}</blockquote>`;
    case "bullet_list":
    case "ordered_list": {
      const tag = node.type.name === "bullet_list" ? "ul" : "ol";
      const items: string[] = [];
      node.forEach((item) => {
        items.push(`<li>${children(item, ctx)}</li>`);
      });
      return `<${tag}>${items.join("")}</${tag}>`;
    }
    case "block_note": {
      const who = node.attrs.resp ? ` of the ${x(node.attrs.resp)}` : "";
      return `<aside class="block-note" id="${x(node.attrs.id ?? "")}" aria-label="Note${who} (${x(node.attrs.id ?? "")})"><p class="note-kind">Note${who}</p>${children(node, ctx)}</aside>`;
    }
    default:
      return `<p>${x(node.textContent)}</p>`;
  }
}

function children(node: Node, ctx: Ctx): string {
  const out: string[] = [];
  node.forEach((c) => {
    out.push(block(c, ctx));
  });
  return out.join("");
}

/** The entry as published (accepted readings, and proposed ones if the edition prints them); null if left out. */
function entryOf(id: string, ctx: Ctx): ApparatusEntry | null {
  return ctx.pub.entry(id);
}

/** What the apparatus leaves out and why; every detached entry, with its lemma and readings. */
function reportHtml(report: PublicationReport): string {
  const detached = report.leftOut.filter((l) => l.reason === "detached");
  const items = detached
    .map(
      (d) =>
        `<li id="detached-${x(d.id)}" data-app="${x(d.id)}"><code>${x(d.id)}</code> ${x(formatEntry(d.lemma || "(lemma not recorded)", d.entry))} <span class="app-type">${x(VARIANT_TYPE_LABELS[d.entry.type])}, ${x(d.entry.status)}</span>${d.entry.note ? ` <span class="app-note">${x(d.entry.note)}</span>` : ""}</li>`,
    )
    .join("\n");
  return `<section id="report" class="report" aria-labelledby="report-h"><h2 id="report-h">Editorial report</h2>${describeReport(
    report,
  )
    .map((l) => `<p>${x(l)}</p>`)
    .join("")}${items ? `<h3>Detached entries</h3><ul>${items}</ul>` : ""}</section>`;
}

/** Inline content. A lemma becomes the base reading and each witness's reading, one shown at a time. */
function inline(parent: Node, ctx: Ctx): string {
  let out = "";
  const kids: Node[] = [];
  parent.forEach((c) => {
    kids.push(c);
  });
  for (let i = 0; i < kids.length; i++) {
    const child = kids[i] as Node;
    const previous = kids[i - 1];
    const lemma = child.isText
      ? child.marks.find((m) => m.type.name === "lemma" && usable(m, ctx))
      : undefined;
    if (lemma && !ctx.openedApps.has(lemma.attrs.app)) {
      // Gather the whole lemma (it may span several text nodes with other marks).
      let j = i;
      let lemmaHtml = "";
      let lemmaText = "";
      while (j < kids.length && (kids[j] as Node).isText && lemma.isInSet((kids[j] as Node).marks)) {
        lemmaHtml += text(kids[j] as Node, ctx, lemma, kids[j - 1]);
        lemmaText += (kids[j] as Node).text ?? "";
        j++;
      }
      out += app(lemma.attrs.app, lemmaHtml, lemmaText, ctx);
      i = j - 1;
      continue;
    }
    if (child.isText) out += `<span class="base-run">${text(child, ctx, null, previous)}</span>`;
    else if (child.type.name === "hard_break") out += "<br>";
    else if (child.type.name === "page_break") out += pageMarker(child);
    else if (child.type.name === "gap") out += gapMarker(child);
    else if (child.type.name === "note") out += footnote(child, ctx);
    else if (child.type.name === "anchor") {
      const e = entryOf(child.attrs.app, ctx);
      if (e) out += app(child.attrs.app, "", "", ctx);
    }
  }
  return out;
}

function usable(m: Mark, ctx: Ctx): boolean {
  const e = entryOf(m.attrs.app, ctx);
  return e !== null;
}

function app(id: string, lemmaHtml: string, lemmaText: string, ctx: Ctx): string {
  ctx.openedApps.add(id);
  const e = entryOf(id, ctx) as ApparatusEntry;
  const readings = Object.entries(e.readings)
    .map(
      ([siglum, r]) =>
        `<span class="rdg${ctx.pub.proposed(e, siglum) ? ' proposed" title="proposed: not yet reviewed' : ""}" data-wit="${x(siglum)}">${r.kind === "om" ? "" : x(r.text).replace(/\n/g, "<br>")}</span>`,
    )
    .join("");
  const markProposed = ctx.pub.settings.includeProposed;
  const anyProposed = Object.keys(e.readings).some((s) => ctx.pub.proposed(e, s));
  const line = formatEntry(lemmaText, e, { markProposed });
  const label = `Variant (${VARIANT_TYPE_LABELS[e.type]}): ${line}`;
  return `<span class="app type-${e.type}" id="${x(id)}" data-readings="${x(Object.keys(e.readings).join(" "))}"><span class="lem">${lemmaHtml}</span>${readings}<button type="button" class="app-marker" popovertarget="pop-${x(id)}" aria-label="${x(label)}">°</button><span class="pop" popover id="pop-${x(id)}" role="note"><span class="app-line">${x(line)}</span> <span class="app-type">${x(VARIANT_TYPE_LABELS[e.type])}${anyProposed ? ", proposed readings not yet reviewed" : ""}</span>${e.note ? `<span class="app-note">${x(e.note)}</span>` : ""}${ctx.bib.sourceLine({ kind: "apparatus", id }, `index.html#${id}`, "", "span")} <a href="#${x(id)}">permalink</a></span></span>`;
}

function text(node: Node, ctx: Ctx, except: Mark | null, previous?: Node): string {
  let html = x(node.text ?? "");
  for (const mark of node.marks) {
    if (mark === except || mark.type.name === "lemma" || mark.type.name === "gloss") continue;
    if (mark.type.name === "em") html = `<em>${html}</em>`;
    else if (mark.type.name === "strong") html = `<strong>${html}</strong>`;
    else html = sourceMark(mark, html);
  }
  // Links cannot nest: where two entries' links overlap ("Workers' Group of the RCP"), these words link
  // to the entry that begins here (the inner one), and the words before them to the outer one.
  const glosses = node.marks.filter((m) => m.type.name === "gloss" && ctx.glossary.has(m.attrs.entry));
  const starting = glosses.filter((m) => !(previous?.isText && m.isInSet(previous.marks)));
  const chosen = starting.at(-1) ?? glosses.at(-1);
  return chosen ? glossLink(chosen.attrs.entry, html, ctx) : html;
}

function glossLink(entryId: string, html: string, ctx: Ctx): string {
  const g = ctx.glossary.get(entryId);
  if (!g) return html;
  const n = ++ctx.cardCount;
  const list = ctx.mentions.get(entryId) ?? [];
  const mention = `m-${entryId}-${list.length + 1}`;
  list.push(mention);
  ctx.mentions.set(entryId, list);
  return `<span class="gl" id="${x(mention)}"><a href="glossary.html#${x(entryId)}" aria-describedby="card-${n}">${html}</a><span class="card" role="tooltip" id="card-${n}"><strong>${x(g.headword)}</strong> (${x(g.kind)}) ${x(g.definition)}</span></span>`;
}

function footnote(node: Node, ctx: Ctx): string {
  const n = ++ctx.noteCount;
  const id = (node.attrs.id as string | null) ?? `note-${n}`;
  const html = ctx.bib.noteHtml(node, n, id, (c) => text(c, ctx, null));
  ctx.notes.push({ id, n, html, kind: node.attrs.kind });
  const label = node.attrs.label ? ` (${x(node.attrs.resp ?? "source")} [${x(node.attrs.label)}])` : "";
  return `<sup class="fn"><button type="button" id="ref-${x(id)}" popovertarget="pop-${x(id)}" aria-label="Note ${n}${label}">${n}</button></sup><span class="pop" popover id="pop-${x(id)}" role="note"><span class="note-kind">${x(KIND_LABEL[node.attrs.kind] ?? node.attrs.kind)}${label}.</span> ${html} <a href="#${x(id)}">in the notes</a></span>`;
}

function renderGlossary(glossary: GlossaryRecord[], ctx: Ctx, title: string): string {
  const items = glossary
    .map((g) => {
      const mentions = ctx.mentions.get(g.id) ?? [];
      const back = mentions.length
        ? `<p class="mentions">In the text: ${mentions.map((m, i) => `<a href="index.html#${x(m)}">${i + 1}</a>`).join(" ")}</p>`
        : '<p class="mentions">Not linked in the text.</p>';
      const ids = authorityLinks(g)
        .map((l) => `${x(l.label)} <a href="${x(l.url)}">${x(l.id)}</a>`)
        .join(" · ");
      return `<article id="${x(g.id)}" class="entry"><h2>${x(g.headword)} <span class="kind">${x(g.kind)}</span></h2>
${g.forms.length ? `<p class="forms">Also: ${g.forms.map(x).join(" · ")}</p>` : ""}<p>${x(g.definition)}</p>${ids ? `<p class="ids">${ids}</p>` : ""}${ctx.bib.sourceLine({ kind: "glossary", id: g.id }, `glossary.html#${g.id}`, g.source)}${back}</article>`;
    })
    .join("\n");
  return `<header class="masthead"><p class="kicker"><a href="index.html">${x(title)}</a></p><h1>Glossary</h1></header>
<main id="text">
${items}
</main>`;
}
