/**
 * TEI P5 import: reads a TEI document into a new edition's first `Y.Doc`. It keeps what the model
 * represents (divisions, headings, paragraphs, quotations, lists, notes, parallel-segmentation apparatus,
 * names linked into `standOff`, the witness list, revisions) and reports, by line, everything it could not
 * represent. Text is never dropped: the text of an element it does not know is kept as plain text.
 */
import { DOMParser, type Element, type Node as XNode } from "@xmldom/xmldom";
import type { Mark, Node } from "prosemirror-model";
import * as Y from "yjs";
import { createEntry, isStatus, isVariantType, type Reading, type VariantType } from "./apparatus.ts";
import { decideEntryWithoutReadings, decideReading } from "./decisions.ts";
import { createGlossaryEntry, type GlossaryKind, type GlossaryRecord } from "./glossary.ts";
import { ROOTS, seedEditionDoc } from "./layout.ts";
import type { Origin } from "./origin.ts";
import { schema } from "./schema.ts";
import type { Revision } from "./tei.ts";
import type { Provenance } from "./textformat.ts";
import { setWitness, type WitnessRecord } from "./witnesses.ts";

const TEI_NS = "http://www.tei-c.org/ns/1.0";

export interface ImportReport {
  /** One line per thing the model could not represent: `line 12: <foo> …`. */
  notRepresented: string[];
}

export type ImportResult =
  | { ok: true; doc: Y.Doc; title: string; report: ImportReport }
  | { ok: false; errors: string[] };

interface PendingEntry {
  id: string;
  type: VariantType;
  status: "proposed" | "accepted" | "rejected";
  note: string;
  readings: Record<string, Reading>;
  /** Each reading's own decision (`rdg/@type`, `@resp`); readings without one take the entry's status. */
  decisions: Record<string, { status: "proposed" | "accepted" | "rejected"; by: string | null }>;
  lemma: string;
}

/** Imports a TEI document as the first state of an edition with the given id. */
export function importTei(xml: string, editionId: string): ImportResult {
  const errors: string[] = [];
  const parser = new DOMParser({
    onError: (level, message) => {
      if (level !== "warning") errors.push(message.trim());
    },
  });
  let dom: ReturnType<DOMParser["parseFromString"]>;
  try {
    dom = parser.parseFromString(xml, "text/xml");
  } catch (error) {
    return { ok: false, errors: [`not well-formed XML: ${(error as Error).message}`] };
  }
  if (errors.length > 0) return { ok: false, errors: errors.map((e) => `not well-formed XML: ${e}`) };
  const root = dom.documentElement;
  if (root?.localName !== "TEI" || root.namespaceURI !== TEI_NS) {
    return { ok: false, errors: [`the root element is not <TEI> in the TEI namespace (${TEI_NS})`] };
  }
  const reader = new Reader();
  return reader.read(root, editionId);
}

class Reader {
  private readonly report: string[] = [];
  private respNames = new Map<string, string>();
  private readonly entries = new Map<string, PendingEntry>();
  private readonly glossaryIds = new Set<string>();
  private sigla = new Set<string>();
  private base = "";
  private autoId = 0;

  read(root: Element, editionId: string): ImportResult {
    const header = child(root, "teiHeader");
    this.reportHeader(header);
    const title = text(find(header, ["fileDesc", "titleStmt", "title"])) || editionId;
    const witnesses = this.readWitnesses(find(header, ["fileDesc", "sourceDesc", "listWit"]));
    this.sigla = new Set(witnesses.map((w) => w.record.siglum));
    this.base = witnesses.find((w) => w.n === "base")?.record.siglum ?? witnesses[0]?.record.siglum ?? "BASE";
    const provenance = this.readProvenance(find(header, ["fileDesc", "sourceDesc"]));
    const revisions = this.readRevisions(find(header, ["revisionDesc"]));
    this.respNames = this.readRespNames(header);
    const glossary = this.readGlossary(child(root, "standOff"));
    for (const g of glossary) this.glossaryIds.add(g.id);
    const body = find(root, ["text", "body"]);
    if (!body) return { ok: false, errors: ["the document has no <text><body>"] };
    const blocks = this.blocks(body, 1);
    const doc = schema.nodes.doc.create(null, blocks.length > 0 ? blocks : [schema.nodes.paragraph.create()]);
    try {
      doc.check();
    } catch (error) {
      return { ok: false, errors: [`the body does not fit the edition model: ${(error as Error).message}`] };
    }
    const ydoc = new Y.Doc();
    const origin: Origin = { kind: "import", what: `TEI for edition ${editionId}` };
    seedEditionDoc(
      ydoc,
      {
        id: editionId,
        title,
        baseWitness: this.base,
        provenance: provenance ?? emptyProvenance(),
        body: doc,
      },
      origin,
    );
    ydoc.transact(() => {
      if (!provenance) ydoc.getMap(ROOTS.meta).delete("provenance");
      if (revisions.length > 0) ydoc.getMap(ROOTS.meta).set("revisions", revisions);
      for (const w of witnesses) setWitness(ydoc, w.record);
      for (const g of glossary) createGlossaryEntry(ydoc, g);
      for (const e of this.entries.values()) {
        createEntry(
          ydoc,
          {
            id: e.id,
            type: e.type,
            note: e.note,
            source: "import",
            by: null,
            readings: e.readings,
            lemma: e.lemma,
          },
          0,
        );
        const sigla = Object.keys(e.readings);
        for (const siglum of sigla) {
          const d = e.decisions[siglum] ?? { status: e.status, by: null };
          if (d.status !== "proposed" || d.by) decideReading(ydoc, e.id, siglum, d.status, d.by, 0);
        }
        // An entry with no reading keeps its status the only way it can: as the entry's own decision.
        if (sigla.length === 0 && e.status !== "proposed")
          decideEntryWithoutReadings(ydoc, e.id, e.status, null, 0);
      }
    }, origin);
    return { ok: true, doc: ydoc, title, report: { notRepresented: this.report } };
  }

  /** Lists the header parts this import does not keep (the export writes its own publication statement). */
  private reportHeader(header: Element | null): void {
    const kept: Record<string, string[]> = {
      teiHeader: ["fileDesc", "encodingDesc", "revisionDesc"],
      fileDesc: ["titleStmt", "publicationStmt", "sourceDesc"],
      sourceDesc: ["bibl", "listWit"],
    };
    const walk = (el: Element | null) => {
      for (const c of children(el)) {
        const allowed = kept[el?.localName ?? ""] ?? [];
        if (!allowed.includes(c.localName ?? "")) {
          this.note(c, `<${c.localName}> in <${el?.localName}> is not represented`);
        } else if (c.localName === "publicationStmt") {
          if (text(child(c, "publisher")) !== "Variorum")
            this.note(c, "<publicationStmt> is not kept; the export writes its own");
        } else if (c.localName === "bibl" && c.getAttribute("type") !== "base-text") {
          this.note(c, "<bibl> in <sourceDesc> other than the base text's is not represented");
        } else if (kept[c.localName ?? ""]) walk(c);
      }
    };
    walk(header);
    if (header) {
      const titles = children(child(child(header, "fileDesc"), "titleStmt"));
      for (const t of titles) {
        if (
          t.localName !== "title" &&
          !(t.localName === "respStmt" && (t.getAttribute("xml:id") ?? "").startsWith("resp-"))
        ) {
          this.note(t, `<${t.localName}> in <titleStmt> is not represented`);
        }
      }
    }
  }

  private note(node: XNode, what: string): void {
    this.report.push(`line ${(node as { lineNumber?: number }).lineNumber ?? "?"}: ${what}`);
  }

  private readWitnesses(listWit: Element | null): { record: WitnessRecord; n: string | null }[] {
    if (!listWit) return [];
    const out: { record: WitnessRecord; n: string | null }[] = [];
    for (const w of children(listWit)) {
      if (w.localName !== "witness") {
        this.note(w, `<${w.localName}> in <listWit> is not represented`);
        continue;
      }
      const siglum = w.getAttribute("xml:id") ?? "";
      const bibl = child(w, "bibl");
      const notes = new Map(
        children(bibl)
          .filter((c) => c.localName === "note")
          .map((c) => [c.getAttribute("type") ?? "", c]),
      );
      const coverageNote = notes.get("coverage");
      const record: WitnessRecord = {
        siglum,
        title: text(child(bibl, "title")) || text(w) || siglum,
        publication: text(child(bibl, "publisher")),
        date: text(child(bibl, "date")),
        language: child(bibl, "textLang")?.getAttribute("mainLang") ?? "",
        coverage: coverageNote?.getAttribute("subtype") === "partial" ? "partial" : "full",
        covers: text(coverageNote ?? null),
        description: text(notes.get("description") ?? null),
        address: text(child(bibl, "ref")),
        provenance: text(notes.get("provenance") ?? null),
        hasText: text(notes.get("text-held") ?? null) !== "no",
        coveredBlocks: text(notes.get("covered-blocks") ?? null)
          .split(/\s+/)
          .filter(Boolean),
      };
      if (!/^[A-Z][A-Za-z0-9]{0,15}$/.test(siglum)) {
        this.note(
          w,
          `witness "${siglum}" has no usable xml:id (a capital letter, then letters or digits); it is left out`,
        );
        continue;
      }
      out.push({ record, n: w.getAttribute("n") });
    }
    return out;
  }

  private readProvenance(sourceDesc: Element | null): Provenance | null {
    const bibl = children(sourceDesc).find(
      (c) => c.localName === "bibl" && c.getAttribute("type") === "base-text",
    );
    if (!bibl) return null;
    const extra: Record<string, string> = {};
    for (const n of children(bibl).filter((c) => c.localName === "note"))
      extra[n.getAttribute("type") ?? "note"] = text(n);
    return {
      title: text(child(bibl, "title")),
      publication: text(child(bibl, "publisher")),
      date: text(child(bibl, "date")),
      address: text(child(bibl, "ref")),
      extra,
    };
  }

  private readRevisions(revisionDesc: Element | null): Revision[] {
    return children(revisionDesc)
      .filter((c) => c.localName === "change" && c.getAttribute("type") !== "none")
      .map((c) => ({
        when: c.getAttribute("when") ?? "",
        who: c.getAttribute("resp") || null,
        label: text(c),
      }));
  }

  private readGlossary(standOff: Element | null): GlossaryRecord[] {
    const out: GlossaryRecord[] = [];
    const entry = (el: Element, kind: GlossaryKind, nameTag: string, definition: string) => {
      const names = children(el).filter((c) => c.localName === nameTag);
      const main = names.find((c) => c.getAttribute("type") === "main") ?? names[0];
      const idno = (type: string) =>
        text(children(el).find((c) => c.localName === "idno" && c.getAttribute("type") === type) ?? null);
      const id = el.getAttribute("xml:id") ?? "";
      if (!/^gl-[a-z0-9-]+$/.test(id)) {
        this.note(el, `glossary entry "${id}" has no xml:id of the form gl-…; it is kept under a new id`);
      }
      out.push({
        id: /^gl-[a-z0-9-]+$/.test(id) ? id : `gl-imported-${++this.autoId}`,
        kind,
        headword: text(main ?? null) || id,
        forms: names.filter((n) => n !== main).map((n) => text(n)),
        definition,
        wikidata: idno("wikidata"),
        viaf: idno("VIAF"),
        source: text(
          children(el).find((c) => c.localName === "note" && c.getAttribute("type") === "source") ?? null,
        ),
      });
    };
    const noteOf = (el: Element, type: string) =>
      text(children(el).find((c) => c.localName === "note" && c.getAttribute("type") === type) ?? null);
    for (const list of children(standOff)) {
      const kinds: Record<string, [GlossaryKind, string, string]> = {
        listPerson: ["person", "person", "persName"],
        listOrg: ["organisation", "org", "orgName"],
        listPlace: ["place", "place", "placeName"],
      };
      const k = list.localName ? kinds[list.localName] : undefined;
      if (k) {
        for (const el of children(list)) {
          if (el.localName === k[1]) entry(el, k[0], k[2], noteOf(el, "definition"));
          else this.note(el, `<${el.localName}> in <${list.localName}> is not represented`);
        }
      } else if (list.localName === "list" && list.getAttribute("type") === "glossary") {
        for (const el of children(list)) {
          const n = el.getAttribute("n");
          const kind: GlossaryKind = n === "event" || n === "publication" ? n : "term";
          entry(el, kind, "term", text(child(el, "gloss")));
        }
      } else if (list.localName === "listApp" && list.getAttribute("type") === "detached") {
        for (const el of children(list)) if (el.localName === "app") this.detachedApp(el);
      } else this.note(list, `<${list.localName}> in <standOff> is not represented`);
    }
    return out;
  }

  /** The blocks inside a container; `depth` counts enclosing divisions, for heading levels. */
  private blocks(container: Element, depth: number): Node[] {
    const out: Node[] = [];
    for (const node of nodes(container)) {
      if (node.nodeType === 3) {
        if ((node.nodeValue ?? "").trim()) {
          out.push(schema.nodes.paragraph.create(null, schema.text(node.nodeValue ?? "")));
          this.note(node, "text directly inside a division is kept as a paragraph");
        }
        continue;
      }
      if (node.nodeType !== 1) continue;
      const el = node as Element;
      switch (el.localName) {
        case "div":
          this.reportAttrs(el, []);
          out.push(...this.blocks(el, depth + 1));
          break;
        case "head": {
          const level = Number(/^h(\d)$/.exec(el.getAttribute("rend") ?? "")?.[1] ?? Math.min(depth + 1, 6));
          out.push(
            schema.nodes.heading.create({ id: el.getAttribute("xml:id"), level }, this.inline(el, [])),
          );
          break;
        }
        case "p":
        case "ab":
          if (el.localName === "ab") this.note(el, "<ab> is kept as a paragraph");
          out.push(
            el.getAttribute("rend") === "heading"
              ? schema.nodes.heading.create(
                  { id: el.getAttribute("xml:id"), level: Math.min(depth + 1, 6) },
                  this.inline(el, []),
                )
              : schema.nodes.paragraph.create({ id: el.getAttribute("xml:id") }, this.inline(el, [])),
          );
          break;
        case "quote":
        case "cit": {
          const inner = this.blocks(el, depth);
          if (inner.length > 0) out.push(schema.nodes.blockquote.create(null, inner));
          break;
        }
        case "list": {
          const items = children(el)
            .filter((c) => {
              if (c.localName === "item") return true;
              this.note(c, `<${c.localName}> in <list> is not represented; its text is kept`);
              return false;
            })
            .map((item) => {
              const inner = this.blocks(item, depth);
              const first = inner[0]?.type.name === "paragraph" ? [] : [schema.nodes.paragraph.create()];
              return schema.nodes.list_item.create(null, [...first, ...inner]);
            });
          const type =
            el.getAttribute("rend") === "numbered" ? schema.nodes.ordered_list : schema.nodes.bullet_list;
          if (items.length > 0) out.push(type.create(null, items));
          break;
        }
        case "note": {
          const inner = this.blocks(el, depth).filter((b) =>
            ["paragraph", "bullet_list", "ordered_list"].includes(b.type.name),
          );
          out.push(
            schema.nodes.block_note.create(
              {
                id: el.getAttribute("xml:id"),
                kind: el.getAttribute("type") ?? "editorial",
                resp: this.resp(el),
              },
              inner.length > 0 ? inner : [schema.nodes.paragraph.create(null, this.inline(el, []))],
            ),
          );
          break;
        }
        default: {
          this.note(
            el,
            `<${el.localName}> between paragraphs is not represented; its text is kept as a paragraph`,
          );
          const content = this.inline(el, []);
          if (content.length > 0) out.push(schema.nodes.paragraph.create(null, content));
        }
      }
    }
    return out;
  }

  private resp(el: Element): string | null {
    const resp = el.getAttribute("resp");
    if (!resp) return null;
    const id = resp.replace(/^#/, "");
    const named = this.respNames.get(id);
    if (named) return named;
    return id.startsWith("resp-") ? id.slice(5) : id;
  }

  /** The names of our `respStmt`s by id (an id cannot hold every character a name can). */
  private readRespNames(header: Element | null): Map<string, string> {
    const out = new Map<string, string>();
    for (const t of children(child(child(header, "fileDesc"), "titleStmt"))) {
      const id = t.getAttribute("xml:id") ?? "";
      if (t.localName === "respStmt" && id.startsWith("resp-")) {
        const name = text(child(t, "name"));
        if (name) out.set(id, name);
      }
    }
    return out;
  }

  private reportAttrs(el: Element, ignored: string[]): void {
    for (let i = 0; i < el.attributes.length; i++) {
      const a = el.attributes.item(i);
      if (a && !ignored.includes(a.name) && !a.name.startsWith("xmlns")) {
        this.note(el, `attribute ${a.name}="${a.value}" on <${el.localName}> is not represented`);
      }
    }
  }

  /** Inline content of an element, with the marks in force. */
  private inline(el: Element, marks: readonly Mark[]): Node[] {
    const out: Node[] = [];
    for (const node of nodes(el)) {
      if (node.nodeType === 3 || node.nodeType === 4) {
        const value = (node.nodeValue ?? "").replace(/\s*\n\s*/g, node.nodeType === 3 ? " " : "\n");
        if (value) out.push(schema.text(value, marks));
        continue;
      }
      if (node.nodeType !== 1) continue;
      const c = node as Element;
      switch (c.localName) {
        case "emph":
          out.push(...this.inline(c, schema.marks.em.create().addToSet(marks)));
          break;
        case "hi": {
          const bold = /bold/.test(c.getAttribute("rend") ?? "");
          if (!bold && !/italic/.test(c.getAttribute("rend") ?? "")) {
            this.note(c, `<hi rend="${c.getAttribute("rend") ?? ""}"> is kept as emphasis`);
          }
          out.push(
            ...this.inline(c, (bold ? schema.marks.strong : schema.marks.em).create().addToSet(marks)),
          );
          break;
        }
        case "persName":
        case "orgName":
        case "placeName":
        case "term":
        case "name": {
          const ref = (c.getAttribute("ref") ?? "").replace(/^#/, "");
          if (ref && this.glossaryIds.has(ref)) {
            out.push(...this.inline(c, schema.marks.gloss.create({ entry: ref }).addToSet(marks)));
          } else {
            this.note(
              c,
              `<${c.localName}>${ref ? ` ref="#${ref}"` : ""} points to no glossary entry; its text is kept unlinked`,
            );
            out.push(...this.inline(c, marks));
          }
          break;
        }
        case "lb":
          out.push(schema.nodes.hard_break.create());
          break;
        case "note":
          out.push(
            schema.nodes.note.create(
              {
                id: c.getAttribute("xml:id"),
                kind: c.getAttribute("type") ?? "editorial",
                resp: this.resp(c),
                label: this.noteLabel(c),
              },
              this.inline(c, []).filter((n) => n.isText),
            ),
          );
          break;
        case "app":
          out.push(...this.app(c, marks));
          break;
        default:
          this.note(c, `<${c.localName}> is not represented; its text is kept`);
          out.push(...this.inline(c, marks));
      }
    }
    return out;
  }

  private noteCount = 0;

  /** A note's `@n` is its source's own label unless it is just its number in document order. */
  private noteLabel(el: Element): string | null {
    this.noteCount++;
    const n = el.getAttribute("n");
    return n && n !== String(this.noteCount) ? n : null;
  }

  /** An entry with no place in the text (`standOff/listApp[@type="detached"]`). */
  detachedApp(el: Element): void {
    this.app(el, [], true);
  }

  private app(el: Element, marks: readonly Mark[], detached = false): Node[] {
    const id = el.getAttribute("xml:id") ?? `app-imported-${++this.autoId}`;
    const type = el.getAttribute("type");
    const status = el.getAttribute("subtype");
    const lem = child(el, "lem");
    const entry: PendingEntry = {
      id,
      type: isVariantType(type) ? type : "substantive",
      status: isStatus(status) ? status : "proposed",
      note: "",
      readings: {},
      decisions: {},
      lemma: lem ? text(lem) : "",
    };
    if (type && !isVariantType(type))
      this.note(el, `variant type "${type}" of ${id} is not one of ours; kept as substantive`);
    for (const c of children(el)) {
      if (c.localName === "rdg") {
        const reading = readingText(c);
        const wits = (c.getAttribute("wit") ?? "")
          .split(/\s+/)
          .filter(Boolean)
          .map((w) => w.replace(/^#/, ""));
        for (const siglum of wits) {
          if (!this.sigla.has(siglum))
            this.note(c, `unknown witness "${siglum}" in apparatus entry ${id}; kept`);
          entry.readings[siglum] =
            reading === "" ? { kind: "om", text: "" } : { kind: "text", text: reading };
          const own = c.getAttribute("type");
          if (isStatus(own)) entry.decisions[siglum] = { status: own, by: this.resp(c) };
        }
      } else if (c.localName === "note") entry.note = text(c);
      else if (c.localName !== "lem") this.note(c, `<${c.localName}> in <app> is not represented`);
    }
    this.entries.set(id, entry);
    if (detached) return [];
    const content = lem ? this.inline(lem, schema.marks.lemma.create({ app: id }).addToSet(marks)) : [];
    if (content.length === 0) return [schema.nodes.anchor.create({ app: id })];
    return content;
  }
}

function readingText(rdg: Element): string {
  let out = "";
  for (const n of nodes(rdg)) {
    if (n.nodeType === 3) out += n.nodeValue ?? "";
    else if (n.nodeType === 1 && (n as Element).localName === "lb") out += "\n";
    else if (n.nodeType === 1) out += readingText(n as Element);
  }
  return out;
}

function emptyProvenance(): Provenance {
  return { title: "", publication: "", date: "", address: "", extra: {} };
}

function nodes(el: Element | null): XNode[] {
  if (!el) return [];
  const out: XNode[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) out.push(n);
  return out;
}

function children(el: Element | null): Element[] {
  return nodes(el).filter((n): n is Element => n.nodeType === 1);
}

function child(el: Element | null, name: string): Element | null {
  return children(el).find((c) => c.localName === name) ?? null;
}

function find(el: Element | null, path: string[]): Element | null {
  let at = el;
  for (const name of path) at = child(at, name);
  return at;
}

function text(el: Element | null): string {
  return (el?.textContent ?? "").replace(/\s+/g, " ").trim();
}
