/**
 * Citations in the LaTeX export: a footnote's cited words become the citation in the edition's style,
 * and the bibliography is printed at the end. citeproc writes HTML; its few tags become LaTeX commands.
 */
import type { Node } from "prosemirror-model";
import type * as Y from "yjs";
import type { Citation } from "./citations.ts";
import { listBibliography } from "./entries.ts";
import { editionRenderer } from "./render.ts";
import type { CslFiles } from "./styles.ts";

export interface LatexCitations {
  /** A footnote's text, its citations in the style (`tex` escapes what is not markup). */
  note(note: Node, tex: (text: string) => string): string;
  /** The bibliography as an unnumbered section ("" if the edition has none). */
  bibliography(tex: (text: string) => string): string;
}

/** Citations for one LaTeX export; without `files`, a citation keeps its words. */
export function latexCitations(ydoc: Y.Doc, files: CslFiles | undefined): LatexCitations {
  const items = listBibliography(ydoc);
  const known = new Set(items.map((i) => i.id));
  const renderer = items.length > 0 ? editionRenderer(ydoc, items, files, "html") : null;
  let noteNumber = 0;
  return {
    note(note, tex) {
      noteNumber++;
      let out = "";
      let words = "";
      let open: Citation | null = null;
      const flush = () => {
        if (open)
          out +=
            renderer && known.has(open.entry)
              ? htmlToLatex(renderer.cite([open], noteNumber), tex)
              : tex(words);
        open = null;
        words = "";
      };
      note.forEach((child) => {
        const mark = child.marks.find((m) => m.type.name === "cite");
        const c: Citation | null = mark
          ? {
              entry: String(mark.attrs.entry),
              locator: String(mark.attrs.locator ?? ""),
              label: mark.attrs.label ?? "page",
            }
          : null;
        if (!c || !open || JSON.stringify(c) !== JSON.stringify(open)) flush();
        if (c) {
          open = c;
          words += child.text ?? "";
        } else out += tex(child.text ?? "");
      });
      flush();
      return out;
    },
    bibliography(tex) {
      if (!renderer) return "";
      const entries = renderer
        .bibliography()
        .map((e) => `\\noindent\\hangindent=2em ${htmlToLatex(e.body, tex)}\\par`);
      return `\n\\section*{Bibliography}\n${entries.join("\n")}\n`;
    },
  };
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/** citeproc's HTML (i, b, sup, sub, small caps, entities) as LaTeX. */
export function htmlToLatex(html: string, tex: (text: string) => string): string {
  const decode = (s: string) =>
    s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) =>
      e.startsWith("#x") || e.startsWith("#X")
        ? String.fromCodePoint(Number.parseInt(e.slice(2), 16))
        : e.startsWith("#")
          ? String.fromCodePoint(Number(e.slice(1)))
          : (ENTITIES[e.toLowerCase()] ?? m),
    );
  const open: Record<string, string> = {
    i: "\\emph{",
    em: "\\emph{",
    b: "\\textbf{",
    strong: "\\textbf{",
    sup: "\\textsuperscript{",
    sub: "\\textsubscript{",
  };
  let out = "";
  const stack: string[] = [];
  for (const part of html.split(/(<[^>]+>)/)) {
    const tag = /^<(\/?)([a-z]+)([^>]*)>$/i.exec(part);
    if (!tag) {
      out += tex(decode(part));
      continue;
    }
    const [, closing, name = "", attrs = ""] = tag;
    const lower = name.toLowerCase();
    if (closing) {
      if (stack.length > 0) out += stack.pop();
      continue;
    }
    if (open[lower]) {
      out += open[lower];
      stack.push("}");
    } else if (lower === "span" && /small-caps/.test(attrs)) {
      out += "\\textsc{";
      stack.push("}");
    } else if (lower !== "br") stack.push("");
  }
  return out + stack.reverse().join("");
}
