/**
 * The bibliography in the reading edition: citations in notes written in the edition's style and linked
 * to `bibliography.html`, the sources of glossary entries and witnesses likewise, and the page itself
 * (every entry as the style writes it, with links back to where it is cited). One per rendering: the
 * citations are numbered in the order the pages are written, as a note style needs.
 */
import type { Mark, Node } from "prosemirror-model";
import type * as Y from "yjs";
import { escapeXml as x } from "../escape.ts";
import { readGlossaryEntry } from "../glossary.ts";
import { type Citation, type CitingTarget, readCitations } from "./citations.ts";
import { listBibliography } from "./entries.ts";
import { type CitationRenderer, editionRenderer } from "./render.ts";
import { CITATION_STYLES, type CslFiles } from "./styles.ts";

/** The file of the bibliography page. */
export const BIBLIOGRAPHY_PAGE = "bibliography.html";

export interface ReadingCitations {
  /** Whether the edition has a bibliography (and so a page). */
  readonly hasEntries: boolean;
  /**
   * A footnote's content as HTML: each run of words under one `cite` mark becomes the citation in the
   * edition's style, linked to its entry; the other words are written by `text`.
   */
  noteHtml(note: Node, noteNumber: number, noteId: string, text: (child: Node) => string): string;
  /**
   * The sources of a glossary entry or witness: its citations in the style, linked; where it cites
   * nothing, `fallback` (its sources in words) as it is; "" if neither.
   */
  sourceLine(target: CitingTarget, where: string, fallback: string, tag?: "p" | "span"): string;
  /** The bibliography page's body (call last: it links back to every citation written before). */
  page(editionTitle: string): string;
}

/** Citations for one rendering of the reading edition; `files` absent: words linked, not styled. */
export function readingCitations(ydoc: Y.Doc, files: CslFiles | undefined): ReadingCitations {
  const items = listBibliography(ydoc);
  const known = new Set(items.map((i) => i.id));
  let renderer: CitationRenderer | null | undefined;
  const styled = () => {
    if (renderer === undefined)
      renderer = items.length > 0 ? editionRenderer(ydoc, items, files, "html") : null;
    return renderer;
  };
  const citedFrom = new Map<string, { href: string; label: string }[]>();
  let sequence = 1000;
  const link = (c: Citation, inner: string, from: { href: string; label: string }) => {
    if (!known.has(c.entry))
      return `<span class="cite unknown" title="not in the bibliography">${inner}</span>`;
    const list = citedFrom.get(c.entry) ?? [];
    if (!list.some((f) => f.href === from.href)) list.push(from);
    citedFrom.set(c.entry, list);
    return `<a class="cite" href="${BIBLIOGRAPHY_PAGE}#bib-${x(c.entry)}">${inner}</a>`;
  };
  return {
    hasEntries: items.length > 0,
    noteHtml(note, noteNumber, noteId, text) {
      const kids: Node[] = [];
      note.forEach((c) => {
        kids.push(c);
      });
      let out = "";
      for (let i = 0; i < kids.length; i++) {
        const child = kids[i] as Node;
        const mark = child.isText ? citeMark(child.marks) : null;
        if (!mark) {
          if (child.isText) out += text(child);
          continue;
        }
        let words = "";
        let j = i;
        while (j < kids.length && mark.isInSet((kids[j] as Node).marks)) words += text(kids[j++] as Node);
        i = j - 1;
        const c = citationOfMark(mark);
        const r = styled();
        const inner = r && known.has(c.entry) ? r.cite([c], noteNumber) : words;
        out += link(c, inner, { href: `index.html#${noteId}`, label: `note ${noteNumber}` });
      }
      return out;
    },
    sourceLine(target, where, fallback, tag = "p") {
      const citations = readCitations(ydoc, target);
      if (citations.length === 0)
        return fallback ? `<${tag} class="source">Source: ${x(fallback)}</${tag}>` : "";
      const r = styled();
      const cited = citations
        .map((c) => {
          const inner = r && known.has(c.entry) ? r.cite([c], ++sequence) : x(c.entry);
          return link(c, inner, {
            href: where,
            label:
              target.kind === "witness"
                ? `witness ${target.id}`
                : target.kind === "glossary"
                  ? (readGlossaryEntry(ydoc, target.id)?.headword ?? target.id)
                  : target.id,
          });
        })
        .join("; ");
      return `<${tag} class="source">${citations.length > 1 ? "Sources" : "Source"}: ${cited}</${tag}>`;
    },
    page(editionTitle) {
      const r = styled();
      const bodies = new Map((r ? r.bibliography() : []).map((e) => [e.id, e.body]));
      const order = r ? [...bodies.keys()] : items.map((i) => i.id);
      const entries = order
        .map((id) => {
          const item = items.find((i) => i.id === id);
          const body = bodies.get(id) ?? x(item?.title ?? id);
          const from = citedFrom.get(id) ?? [];
          const back = from.length
            ? `<p class="cited-in">Cited in: ${from.map((f) => `<a href="${x(f.href)}">${x(f.label)}</a>`).join(" · ")}</p>`
            : '<p class="cited-in">Not cited in this edition.</p>';
          return `<li id="bib-${x(id)}" class="bib-entry"><p class="csl-entry">${body}</p>${back}</li>`;
        })
        .join("\n");
      const style = r
        ? `<p class="style">Citations in the style: ${x(CITATION_STYLES[r.style].label)}.</p>`
        : "";
      return `<header class="masthead"><p class="kicker"><a href="index.html">${x(editionTitle)}</a></p><h1>Bibliography</h1>${style}</header>
<main id="text">
<ol class="bibliography">
${entries}
</ol>
</main>`;
    },
  };
}

function citeMark(marks: readonly Mark[]): Mark | null {
  return marks.find((m) => m.type.name === "cite") ?? null;
}

function citationOfMark(mark: Mark): Citation {
  return {
    entry: String(mark.attrs.entry ?? ""),
    locator: String(mark.attrs.locator ?? ""),
    label: (mark.attrs.label ?? "page") as Citation["label"],
  };
}
