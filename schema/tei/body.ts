/**
 * The text of a TEI file into the edition's blocks and inline content. What the model represents is kept;
 * anything else keeps its words (as a paragraph, as plain text) and is reported as converted; markup that
 * cannot be kept (a page break, an attribute, the editor's half of a `choice`) is reported as dropped.
 */
import type { Element, Node as XNode } from "@xmldom/xmldom";
import { Fragment, type Mark, type Node } from "prosemirror-model";
import { schema } from "../schema.ts";
import { readApp } from "./apparatus.ts";
import { children, nodes, TEI_NS } from "./dom.ts";
import type { ReadState } from "./state.ts";

/** What each element of drama (and verse the model cannot hold) becomes while the model has no node for it. */
const AS_BLOCKS: Record<string, string> = {
  lg: "a line group holding more than lines: its parts are read as blocks, the grouping is not kept",
  speaker: "a speaker outside the head of a speech: kept as a paragraph",
};

/** Attributes every reader consumes (namespaces; ids where the model keeps them are listed per element). */
function reportAttrs(state: ReadState, el: Element, consumed: string[]): void {
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i);
    if (!a || consumed.includes(a.name) || a.name === "xmlns" || a.name.startsWith("xmlns:")) continue;
    state.report.dropped(el, `@${a.name} on ${label(el)}`, "not represented", a.value);
  }
}

/** How the report names an element: `<p>`, or with its prefix outside TEI's namespace (`<xsl:text>`). */
function label(el: Element): string {
  return `<${el.namespaceURI === TEI_NS ? el.localName : el.nodeName}>`;
}

function hasDirectText(el: Element): boolean {
  return nodes(el).some((n) => (n.nodeType === 3 || n.nodeType === 4) && (n.nodeValue ?? "").trim() !== "");
}

/** Who is responsible for a note or reading: our `respStmt`'s name, else the pointer's id. */
export function respOf(state: ReadState, el: Element): string | null {
  const resp = el.getAttribute("resp");
  if (!resp) return null;
  const id = resp.replace(/^#/, "");
  const named = state.respNames.get(id);
  if (named) return named;
  return id.startsWith("resp-") ? id.slice(5) : id;
}

/** The blocks inside a container; `depth` counts enclosing divisions, for heading levels. */
export function blocks(state: ReadState, container: Element, depth: number): Node[] {
  const out: Node[] = [];
  const pending: Node[] = [];
  for (const node of nodes(container)) {
    const before = out.length;
    blockFrom(state, container, node, depth, out, pending);
    const first = out.findIndex((b, i) => i >= before && b.isTextblock);
    if (pending.length > 0 && first >= 0) out[first] = prefixed(out[first] as Node, pending.splice(0));
  }
  if (pending.length > 0) {
    const last = out.at(-1);
    if (last?.isTextblock) out[out.length - 1] = last.copy(last.content.append(Fragment.from(pending)));
    else out.push(schema.nodes.paragraph.create(null, pending));
  }
  return out;
}

function prefixed(block: Node, inline: Node[]): Node {
  return block.copy(Fragment.from(inline).append(block.content));
}

/** Reads one node between blocks into `out` (page breaks wait in `pending` for the next textblock). */
function blockFrom(
  state: ReadState,
  container: Element,
  node: XNode,
  depth: number,
  out: Node[],
  pending: Node[],
): void {
  const report = state.report;
  if (node.nodeType === 3 || node.nodeType === 4) {
    if ((node.nodeValue ?? "").trim()) {
      out.push(schema.nodes.paragraph.create(null, schema.text((node.nodeValue ?? "").trim())));
      report.converted(node, `text directly inside <${container.localName}>`, "kept as a paragraph");
    }
    return;
  }
  if (node.nodeType !== 1) return;
  const el = node as Element;
  const name = el.localName ?? "";
  const id = el.getAttribute("xml:id");
  if (name === "div" || /^div[1-7]$/.test(name)) {
    if (name === "div") report.kept(el, "<div>", "a division (opened by its heading)");
    else report.converted(el, `<${name}>`, "read as a division");
    reportAttrs(state, el, []);
    out.push(...blocks(state, el, depth + 1));
  } else if (name === "head") {
    const rend = /^h(\d)$/.exec(el.getAttribute("rend") ?? "");
    const level = Number(rend?.[1] ?? Math.min(depth + 1, 6));
    report.kept(el, "<head>", "a heading");
    reportAttrs(state, el, rend ? ["xml:id", "rend"] : ["xml:id"]);
    out.push(schema.nodes.heading.create({ id, level }, inline(state, el, [])));
  } else if (name === "p" || name === "ab") {
    const heading = el.getAttribute("rend") === "heading";
    if (name === "ab") report.converted(el, "<ab>", "kept as a paragraph");
    else report.kept(el, "<p>", heading ? "a heading in a list or quotation" : "a paragraph");
    reportAttrs(state, el, heading ? ["xml:id", "rend"] : ["xml:id"]);
    const content = inline(state, el, []);
    out.push(
      heading
        ? schema.nodes.heading.create({ id, level: Math.min(depth + 1, 6) }, content)
        : schema.nodes.paragraph.create({ id }, content),
    );
  } else if (name === "quote" || name === "cit" || name === "q") {
    if (name === "quote") report.kept(el, "<quote>", "a block quotation");
    else report.converted(el, `<${name}> between paragraphs`, "kept as a block quotation");
    reportAttrs(state, el, name === "quote" && el.getAttribute("type") === "block" ? ["type"] : []);
    const inner = hasDirectText(el)
      ? [schema.nodes.paragraph.create(null, inline(state, el, []))]
      : blocks(state, el, depth);
    if (inner.length > 0) out.push(schema.nodes.blockquote.create(null, inner));
  } else if (name === "list") {
    out.push(...list(state, el, depth));
  } else if (name === "note") {
    report.kept(el, "<note> between paragraphs", "a remark between paragraphs");
    reportAttrs(state, el, ["xml:id", "type", "resp", "place"]);
    const inner = hasDirectText(el) ? [] : noteBlocks(blocks(state, el, depth));
    out.push(
      schema.nodes.block_note.create(
        { id, kind: el.getAttribute("type") ?? "editorial", resp: respOf(state, el) },
        inner.length > 0 ? inner : [schema.nodes.paragraph.create(null, inline(state, el, []))],
      ),
    );
  } else if (name === "listWit") {
    // A list of sigla printed in the text (often in the front matter): read into the register too.
    report.converted(
      el,
      "<listWit> in the text",
      "its witnesses are in the register; its words are kept as paragraphs",
    );
    for (const w of children(el)) {
      if (w.localName === "witness") {
        report.converted(w, "<witness> in the text", "in the register, and its words kept as a paragraph");
        const content = inline(state, w, []);
        if (content.length > 0) out.push(schema.nodes.paragraph.create(null, content));
      } else out.push(...blocks(state, w, depth));
    }
  } else if (name === "sp") {
    out.push(speech(state, el, depth));
  } else if (name === "stage") {
    report.kept(el, "<stage>", "a stage direction");
    reportAttrs(state, el, ["type"]);
    out.push(schema.nodes.stage.create({ type: el.getAttribute("type") }, inline(state, el, [])));
  } else if (name === "l") {
    report.kept(el, "<l>", "a verse line");
    reportAttrs(state, el, ["xml:id", "n"]);
    out.push(schema.nodes.verse_line.create({ id, n: el.getAttribute("n") }, inline(state, el, [])));
  } else if (name === "lg" && !hasDirectText(el) && children(el).every((c) => c.localName === "l")) {
    report.kept(el, "<lg>", "a group of verse lines");
    reportAttrs(state, el, ["xml:id", "type"]);
    const lines = children(el).map((l) => {
      report.kept(l, "<l>", "a verse line");
      reportAttrs(state, l, ["xml:id", "n"]);
      return schema.nodes.verse_line.create(
        { id: l.getAttribute("xml:id"), n: l.getAttribute("n") },
        inline(state, l, []),
      );
    });
    if (lines.length > 0)
      out.push(schema.nodes.line_group.create({ id, type: el.getAttribute("type") }, lines));
  } else if (name === "pb") {
    // A page break between blocks goes to the start of the next paragraph or heading (an inline node).
    pending.push(pageBreak(state, el));
    report.converted(el, "<pb> between blocks", "kept at the start of the next paragraph or heading");
  } else if (name === "cb" || name === "lb" || name === "milestone") {
    breakDropped(state, el);
  } else if ((el.textContent ?? "").trim() === "" && children(el).length === 0) {
    report.dropped(el, label(el), "an empty element the model has no place for");
    reportAttrs(state, el, []);
  } else if (hasDirectText(el) || children(el).length === 0) {
    report.converted(el, label(el), AS_BLOCKS[name] ?? "between paragraphs: its text is kept as a paragraph");
    reportAttrs(state, el, []);
    const content = inline(state, el, []);
    if (content.length > 0) out.push(schema.nodes.paragraph.create(null, content));
  } else {
    report.converted(el, label(el), AS_BLOCKS[name] ?? "a container: its contents are read as blocks");
    reportAttrs(state, el, []);
    out.push(...blocks(state, el, depth));
  }
}

/** A speech: its first `speaker` heads it, everything else is read as blocks. */
function speech(state: ReadState, el: Element, depth: number): Node {
  state.report.kept(el, "<sp>", "a speech, with who speaks");
  reportAttrs(state, el, ["xml:id", "who"]);
  const first = children(el)[0];
  let speaker: Node[] = [];
  if (first?.localName === "speaker") {
    state.report.kept(first, "<speaker>", "who speaks, at the head of the speech");
    reportAttrs(state, first, []);
    speaker = [schema.nodes.speaker.create(null, inline(state, first, []))];
    // Taken out of the parsed tree (read once) so that the rest of the speech is read as its blocks.
    first.parentNode?.removeChild(first);
  }
  const inner = blocks(state, el, depth);
  return schema.nodes.speech.create({ id: el.getAttribute("xml:id"), who: el.getAttribute("who") }, [
    ...speaker,
    ...(inner.length > 0 ? inner : [schema.nodes.paragraph.create()]),
  ]);
}

/** What a remark between paragraphs may hold: paragraphs and lists (others give their paragraphs). */
function noteBlocks(inner: Node[]): Node[] {
  const out: Node[] = [];
  for (const b of inner) {
    if (["paragraph", "bullet_list", "ordered_list"].includes(b.type.name)) out.push(b);
    else if (b.isTextblock) out.push(schema.nodes.paragraph.create(null, b.content));
    else
      b.forEach((c) => {
        out.push(...noteBlocks([c]));
      });
  }
  return out;
}

function list(state: ReadState, el: Element, depth: number): Node[] {
  const rend = el.getAttribute("rend");
  state.report.kept(el, "<list>", "a list");
  reportAttrs(state, el, rend === "numbered" || rend === "bulleted" ? ["rend"] : []);
  const items = children(el)
    .filter((c) => {
      if (c.localName === "item") return true;
      state.report.dropped(c, `<${c.localName}> in <list>`, "not represented (its text is not kept)");
      return false;
    })
    .map((item) => {
      state.report.kept(item, "<item>", "a list item");
      const inner = hasDirectText(item)
        ? [schema.nodes.paragraph.create(null, inline(state, item, []))]
        : blocks(state, item, depth);
      const first = inner[0]?.type.name === "paragraph" ? [] : [schema.nodes.paragraph.create()];
      return schema.nodes.list_item.create(null, [...first, ...inner]);
    });
  const type = rend === "numbered" ? schema.nodes.ordered_list : schema.nodes.bullet_list;
  return items.length > 0 ? [type.create(null, items)] : [];
}

function breakDropped(state: ReadState, el: Element): void {
  const n = el.getAttribute("n");
  const facs = el.getAttribute("facs");
  state.report.dropped(
    el,
    `<${el.localName}>${el.localName === "lb" ? " between paragraphs" : ""}`,
    "page, column and line breaks are not represented yet",
    n !== null || facs !== null
      ? [n && `n=${n}`, facs && `facs=${facs}`].filter(Boolean).join(" ")
      : undefined,
  );
}

/** A page break, with its page number and scan (`@n`, `@facs`). */
function pageBreak(state: ReadState, el: Element): Node {
  const n = el.getAttribute("n");
  const facs = el.getAttribute("facs");
  const value = [n && `n=${n}`, facs && `facs=${facs}`].filter(Boolean).join(" ");
  state.report.kept(el, "<pb>", "a page break with its number and scan", value || undefined);
  reportAttrs(state, el, ["n", "facs"]);
  return schema.nodes.page_break.create({ n, facs });
}

/** The marks a footnote's text may carry (the schema's `note.marks`). */
const NOTE_MARKS = ["em", "strong", "gloss", "hi", "foreign", "unclear", "supplied", "choice"];

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
        const content = inline(state, c, []);
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
