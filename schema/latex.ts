/**
 * A reledmac source of the edition, for those who typeset with LaTeX (XeLaTeX or LuaLaTeX: the
 * witnesses include Cyrillic): numbered lines, the apparatus in series A keyed to them, notes as
 * familiar footnotes.
 */
import type { Node } from "prosemirror-model";
import type * as Y from "yjs";
import { type ApparatusEntry, formatEntry, PROPOSED_MARK } from "./apparatus.ts";
import { latexCitations } from "./bibliography/latex.ts";
import type { CslFiles } from "./bibliography/styles.ts";
import { readMeta } from "./layout.ts";
import { describeReport, type PublicationReport, publication } from "./publication.ts";
import { readBody } from "./readBody.ts";

/** Escapes text for LaTeX. Everything a user typed passes here. */
/** A `hi` rendition LaTeX can show; the words of any other are kept as they are. */
function rendition(rend: string, piece: string): string {
  const words = rend.split(/\s+/);
  let out = piece;
  if (words.some((w) => /^(smallcaps|smcap|sc)$/.test(w))) out = `\\textsc{${out}}`;
  if (words.some((w) => /^(sup|superscript)$/.test(w))) out = `\\textsuperscript{${out}}`;
  if (words.some((w) => /^(sub|subscript)$/.test(w))) out = `\\textsubscript{${out}}`;
  if (words.some((w) => /^(underline|ul)$/.test(w))) out = `\\underline{${out}}`;
  return out;
}

export function tex(text: string): string {
  return text
    .replace(/[\\{}$&#_%~^]/g, (c) =>
      c === "\\"
        ? "\\textbackslash{}"
        : c === "~"
          ? "\\textasciitilde{}"
          : c === "^"
            ? "\\textasciicircum{}"
            : `\\${c}`,
    )
    .replace(/\n/g, " \\\\ ");
}

/** The readings of an entry as published; a proposed one (if the edition prints them) is marked. */
function readings(e: ApparatusEntry, markProposed: boolean): string {
  const groups = new Map<string, { text: string | null; proposed: boolean; sigla: string[] }>();
  for (const [siglum, r] of Object.entries(e.readings)) {
    const proposed = markProposed && e.decisions[siglum]?.status === "proposed";
    const key = `${proposed ? "p" : "d"}${r.kind === "om" ? "\u0000" : r.text}`;
    const group = groups.get(key) ?? { text: r.kind === "om" ? null : r.text, proposed, sigla: [] };
    group.sigla.push(siglum);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map(
      (g) =>
        `${g.text === null ? "om." : tex(g.text)} \\textit{${tex(g.sigla.sort().join(" "))}}${g.proposed ? ` ${tex(PROPOSED_MARK)}` : ""}`,
    )
    .join("; ");
}

/** What the apparatus leaves out, after the text: counts, and every detached entry. */
function reportTex(report: PublicationReport): string {
  const lines = describeReport(report).map((l) => `${tex(l)}\\par`);
  const detached = report.leftOut
    .filter((l) => l.reason === "detached")
    .map((d) => `\\item ${tex(`${d.id}: ${formatEntry(d.lemma || "(lemma not recorded)", d.entry)}`)}`);
  return `\\section*{Editorial report}
${lines.join("\n")}
${detached.length ? `\\begin{itemize}\n${detached.join("\n")}\n\\end{itemize}\n` : ""}`;
}

export function exportLatex(live: Y.Doc, csl?: CslFiles): string {
  // Read in place: nothing here writes, and the body is read by readBody, which never does.
  const ydoc = live;
  const meta = readMeta(ydoc);
  const body = readBody(ydoc);
  const pub = publication(ydoc, body);
  const entry = pub.entry;
  const markProposed = pub.settings.includeProposed;
  const cites = latexCitations(ydoc, csl);
  const inline = (parent: Node): string => {
    let out = "";
    let open: string | null = null;
    let lemma = "";
    let lemmaText = "";
    const close = () => {
      if (open) {
        const e = entry(open) as ApparatusEntry;
        // A long lemma is abbreviated in the apparatus, as printed editions do (first words … last words).
        const words = lemmaText.trim().split(/\s+/);
        const short =
          words.length > 6
            ? `\\lemma{${tex(`${words.slice(0, 2).join(" ")} … ${words.slice(-2).join(" ")}`)}}`
            : "";
        out += `\\edtext{${lemma}}{${short}\\Afootnote{${readings(e, markProposed)}}}`;
      }
      open = null;
      lemma = "";
      lemmaText = "";
    };
    parent.forEach((child) => {
      const m = child.isText
        ? child.marks.find((k) => k.type.name === "lemma" && entry(k.attrs.app) !== null)
        : undefined;
      const id = (m?.attrs.app as string | undefined) ?? null;
      if (id !== open) close();
      let piece = "";
      if (child.isText) {
        piece = tex(child.text ?? "");
        if (child.marks.some((k) => k.type.name === "em")) piece = `\\emph{${piece}}`;
        if (child.marks.some((k) => k.type.name === "strong")) piece = `\\textbf{${piece}}`;
        for (const k of child.marks) {
          if (k.type.name === "hi") piece = rendition(k.attrs.rend, piece);
          else if (k.type.name === "supplied") piece = `[${piece}]`;
        }
      } else if (child.type.name === "note") piece = `\\footnoteA{${cites.note(child, tex)}}`;
      else if (child.type.name === "gap") piece = "[\\ldots]";
      else if (child.type.name === "page_break")
        piece = `\\ledrightnote{${tex(child.attrs.n ? `p. ${child.attrs.n}` : "page")}}`;
      else if (child.type.name === "anchor") {
        const e = entry(child.attrs.app);
        if (e) piece = `\\edtext{}{\\lemma{\\textasciicircum}\\Afootnote{add. ${readings(e, markProposed)}}}`;
      }
      if (id) {
        open = id;
        lemma += piece;
        lemmaText += child.isText ? (child.text ?? "") : "";
      } else out += piece;
    });
    close();
    return out;
  };
  const parts: string[] = [];
  const restart = pub.settings.lineNumbering === "section";
  const walk = (node: Node) => {
    node.forEach((child) => {
      if (child.type.name === "heading") {
        // Numbering per section: reledmac starts again at 1 with each \\beginnumbering.
        if (restart && parts.length > 0) parts.push("\\endnumbering\n\\beginnumbering");
        // A heading is not a line of the text: reledmac counts it unless told not to.
        parts.push(`\\numberlinefalse\n\\pstart\n\\eledsection{${inline(child)}}\n\\pend\n\\numberlinetrue`);
      } else if (child.type.name === "paragraph" || child.type.name === "verse_line")
        parts.push(`\\pstart\n${inline(child)}\n\\pend`);
      else if (child.type.name === "block_note") {
        child.descendants((n) => {
          if (n.isTextblock)
            parts.push(
              `\\numberlinefalse\n\\pstart\n\\small\\textit{Note of the ${tex(child.attrs.resp ?? "editor")}:} ${inline(n)}\n\\pend\n\\numberlinetrue`,
            );
          return !n.isTextblock;
        });
        // A textblock of a kind reledmac is not told about still prints its words, as a paragraph.
      } else if (child.isTextblock) parts.push(`\\pstart\n${inline(child)}\n\\pend`);
      else walk(child);
    });
  };
  walk(body);
  const p = meta.provenance;
  return `% ${meta.title}
% Generated by Variorum from edition "${meta.id}". Typeset with XeLaTeX or LuaLaTeX (reledmac, fontspec).
\\documentclass[11pt]{article}
\\usepackage{fontspec}
\\setmainfont{DejaVu Serif}
\\usepackage{reledmac}
\\setcounter{secnumdepth}{0}
\\firstlinenum{5}
\\linenumincrement{5}
\\title{${tex(meta.title)}}
\\date{}
\\begin{document}
\\maketitle
${p ? `\\noindent Base text (${tex(meta.baseWitness)}): ${tex(p.title)}, ${tex(p.publication)}, ${tex(p.date)}.\\\\ \\texttt{${tex(p.address)}}\n` : ""}
\\beginnumbering
${parts.join("\n\n")}
\\endnumbering
${reportTex(pub.report())}${cites.bibliography(tex)}
\\end{document}
`;
}
