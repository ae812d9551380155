/**
 * Inline content of a TEI text: emphasis and renditions, languages, transcription, names linked into the
 * glossary, breaks, footnotes, apparatus entries, `choice`. Unknown elements keep their words.
 */
import type { Element } from "@xmldom/xmldom";
import type { Mark, Node } from "prosemirror-model";
import { schema } from "../schema.ts";
import { readApp } from "./apparatus.ts";
import { readCiteBibl } from "./bibliographyImport.ts";
import { children, nodes } from "./dom.ts";
import { breakDropped, label, pageBreak, reportAttrs, respOf } from "./elements.ts";
import { zoneMark } from "./facsimile.ts";
import type { ReadState } from "./state.ts";

/** The marks a footnote's text may carry (the schema's `note.marks`). */
const NOTE_MARKS = ["em", "strong", "gloss", "hi", "foreign", "unclear", "supplied", "choice", "cite"];

/** Which half of a `choice` is kept: the source's own form (the house rule: never "fix" a witness). */
const CHOICE_KEPT = ["sic", "orig", "abbr"];
/** The pairs the model keeps whole (a `choice` of two, one side each). */
const CHOICE_PAIRS = ["sic/corr", "orig/reg", "abbr/expan"];

/** Inline content of an element, with the marks in force. */
export function inline(state: ReadState, el: Element, marks: readonly Mark[]): Node[] {
  const out: Node[] = [];
  const report = state.report;
  for (const node of nodes(el)) {
    if (node.nodeType === 3 || node.nodeType === 4) {
      const value = (node.nodeValue ?? "").replace(/\s*\n\s*/g, node.nodeType === 3 ? " " : "\n");
      if (value) out.push(schema.text(value, marks));
      continue;
    }
    if (node.nodeType !== 1) continue;
    const c = node as Element;
    const name = c.localName ?? "";
    const zone = name === "seg" ? zoneMark(state, c) : null;
    if (zone) {
      out.push(...inline(state, c, zone.addToSet(marks)));
      continue;
    }
    if (name === "seg" && c.getAttribute("type") === "ocr-draft") {
      report.kept(c, '<seg type="ocr-draft">', "an OCR draft, proposed until a person accepts it");
      out.push(...inline(state, c, schema.marks.ocr.create().addToSet(marks)));
      continue;
    }
    switch (name) {
      case "emph":
        report.kept(c, "<emph>", "emphasis");
        reportAttrs(state, c, []);
        out.push(...inline(state, c, schema.marks.em.create().addToSet(marks)));
        break;
      case "hi": {
        const rend = (c.getAttribute("rend") ?? "").replace(/\s+/g, " ").trim();
        const known = rend === "bold" ? schema.marks.strong : rend === "italic" ? schema.marks.em : null;
        const mark = known ? known.create() : schema.marks.hi.create({ rend });
        if (known) report.kept(c, `<hi rend="${rend}">`, rend === "bold" ? "strong" : "emphasis");
        else report.kept(c, "@rend on <hi>", "a rendition, kept as the file names it", rend);
        reportAttrs(state, c, ["rend"]);
        out.push(...inline(state, c, mark.addToSet(marks)));
        break;
      }
      case "foreign": {
        const lang = c.getAttribute("xml:lang") ?? "";
        report.kept(c, "<foreign>", "words in another language, with their language", lang || undefined);
        reportAttrs(state, c, ["xml:lang"]);
        out.push(...inline(state, c, schema.marks.foreign.create({ lang }).addToSet(marks)));
        break;
      }
      case "persName":
      case "orgName":
      case "placeName":
      case "term":
      case "name": {
        const ref = (c.getAttribute("ref") ?? "").replace(/^#/, "");
        if (ref && state.glossaryIds.has(ref)) {
          report.kept(c, `<${name}>`, "a glossary link");
          reportAttrs(state, c, ["ref", "type"]);
          out.push(...inline(state, c, schema.marks.gloss.create({ entry: ref }).addToSet(marks)));
        } else {
          report.converted(
            c,
            `<${name}>`,
            "points to no glossary entry; its text is kept unlinked",
            ref || undefined,
          );
          out.push(...inline(state, c, marks));
        }
        break;
      }
      case "lb":
        report.kept(c, "<lb>", "a line break");
        reportAttrs(state, c, []);
        out.push(schema.nodes.hard_break.create());
        break;
      case "pb":
        out.push(pageBreak(state, c));
        break;
      case "gap": {
        const [reason, extent, unit] = ["reason", "extent", "unit"].map((a) => c.getAttribute(a));
        report.kept(
          c,
          "<gap>",
          "a gap in the transcription, with its reason and extent",
          reason ?? undefined,
        );
        reportAttrs(state, c, ["reason", "extent", "unit"]);
        const inner = inline(state, c, marks);
        if (inner.length > 0)
          report.dropped(c, "content of <gap>", "a gap holds no words", c.textContent ?? "");
        out.push(schema.nodes.gap.create({ reason, extent, unit }));
        break;
      }
      case "unclear":
      case "supplied": {
        const reason = c.getAttribute("reason") ?? "";
        const how = name === "unclear" ? "words read with doubt" : "words an editor supplied";
        report.kept(c, `<${name}>`, how, reason || undefined);
        reportAttrs(state, c, ["reason"]);
        out.push(...inline(state, c, schema.marks[name].create({ reason }).addToSet(marks)));
        break;
      }
      case "cb":
      case "milestone":
        breakDropped(state, c);
        break;
      case "note": {
        report.kept(c, "<note>", "a footnote");
        reportAttrs(state, c, [
          "xml:id",
          "type",
          "resp",
          "n",
          ...(c.getAttribute("place") === "foot" ? ["place"] : []),
        ]);
        state.inNote++;
        const content = inline(state, c, []);
        state.inNote--;
        const lost = content.filter((n) => !n.isText);
        if (lost.length > 0) {
          report.dropped(
            c,
            "breaks, notes and entries inside a footnote",
            "a footnote holds text only",
            lost.map((n) => n.type.name).join(" "),
          );
        }
        out.push(
          schema.nodes.note.create(
            {
              id: c.getAttribute("xml:id"),
              kind: c.getAttribute("type") ?? "editorial",
              resp: respOf(state, c),
              label: noteLabel(state, c),
            },
            content
              .filter((n) => n.isText)
              .map((n) => n.mark(n.marks.filter((m) => NOTE_MARKS.includes(m.type.name)))),
          ),
        );
        break;
      }
      case "app":
        reportAttrs(state, c, ["xml:id", "type", "subtype"]);
        out.push(
          ...readApp(
            state,
            c,
            marks,
            (e, m) => inline(state, e, m),
            (e) => respOf(state, e),
          ),
        );
        break;
      case "choice":
        out.push(...choice(state, c, marks));
        break;
      case "bibl": {
        const cited = readCiteBibl(report, c);
        if (cited) {
          out.push(...inline(state, cited.ref, cited.mark.addToSet(marks)));
          break;
        }
        report.converted(c, label(c), "its text is kept as plain text");
        out.push(...inline(state, c, marks));
        break;
      }
      default:
        if ((c.textContent ?? "").trim() === "" && children(c).length === 0)
          report.dropped(c, label(c), "an empty element the model has no place for");
        else report.converted(c, label(c), "its text is kept as plain text");
        reportAttrs(state, c, []);
        out.push(...inline(state, c, marks));
    }
  }
  return out;
}

function choice(state: ReadState, c: Element, marks: readonly Mark[]): Node[] {
  const parts = children(c);
  const shown = parts.find((p) => CHOICE_KEPT.includes(p.localName ?? "")) ?? parts[0];
  const other = parts.find((p) => p !== shown);
  if (!shown) return [];
  const pair = `<${shown.localName}>/<${other?.localName ?? "—"}>`;
  if (parts.length === 2 && other && CHOICE_PAIRS.includes(`${shown.localName}/${other.localName}`)) {
    state.report.kept(c, `<choice> ${pair}`, "both kept: the source's own form shown, the other beside it");
    if (children(other).length > 0)
      state.report.converted(
        other,
        `markup inside <${other.localName}> in <choice>`,
        "its words are kept, not its markup",
      );
    const mark = schema.marks.choice.create({
      kind: shown.localName,
      altKind: other.localName,
      alt: (other.textContent ?? "").replace(/\s+/g, " "),
    });
    return inline(state, shown, mark.addToSet(marks));
  }
  for (const p of parts) {
    if (p === shown)
      state.report.converted(p, `<${p.localName}> in <choice>`, "shown and kept: the source's own form");
    else
      state.report.dropped(
        p,
        `<${p.localName}> in <choice>`,
        `not kept: the <${shown.localName}> beside it is`,
        p.textContent ?? "",
      );
  }
  return inline(state, shown, marks);
}

/** A note's `@n` is its source's own label unless it is just its number in document order. */
function noteLabel(state: ReadState, el: Element): string | null {
  state.noteCount++;
  const n = el.getAttribute("n");
  return n && n !== String(state.noteCount) ? n : null;
}
