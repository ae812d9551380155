/**
 * The blocks of a TEI text: divisions, headings, paragraphs, verse, drama, quotations, lists, remarks.
 * What the model represents is kept; anything else keeps its words (as a paragraph) and is reported as
 * converted; what cannot be kept (an attribute, an empty element) is reported as dropped.
 */
import type { Element, Node as XNode } from "@xmldom/xmldom";
import { Fragment, type Node } from "prosemirror-model";
import { schema } from "../schema.ts";
import { children, nodes } from "./dom.ts";
import { breakDropped, hasDirectText, label, pageBreak, reportAttrs, respOf } from "./elements.ts";
import { inline } from "./inline.ts";
import type { ReadState } from "./state.ts";

/** What each element of drama (and verse the model cannot hold) becomes while the model has no node for it. */
const AS_BLOCKS: Record<string, string> = {
  lg: "a line group holding more than lines: its parts are read as blocks, the grouping is not kept",
  speaker: "a speaker outside the head of a speech: kept as a paragraph",
};

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
