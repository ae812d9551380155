/**
 * A large, dense edition for benchmarks, built through the model's own functions with a fixed seed: the
 * Manifesto's blocks repeated to ~1M characters (each copy's block and note ids distinct), 10,000
 * apparatus entries (readings of WD, Q and RU; a mix of types, sources and per-reading statuses), 200
 * glossary entries with 5,000 links, 1,000 footnotes, 2,000 comment threads, and two witness
 * transcription documents of ~300k characters each. `countEdition` reads the counts back from a document.
 */
import type { Mark, Node } from "prosemirror-model";
import { Transform } from "prosemirror-transform";
import { prosemirrorToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import * as Y from "yjs";
import { createEntry, decide, type Reading, VARIANT_TYPES } from "../schema/apparatus.ts";
import { createThread, plainText, textTarget } from "../schema/comments.ts";
import { createGlossaryEntry, GLOSSARY_KINDS, listGlossary } from "../schema/glossary.ts";
import { copyDoc, ROOTS, readMeta, seedEditionDoc } from "../schema/layout.ts";
import type { Origin } from "../schema/origin.ts";
import { schema } from "../schema/schema.ts";
import { docToPlainBlocks } from "../schema/textdoc.ts";
import { listWitnesses, setWitness } from "../schema/witnesses.ts";
import { manifestoDoc } from "../tests/helpers/edition.ts";
import { rng, syntheticWitness } from "../tests/helpers/synthetic.ts";

export interface LargeEditionOptions {
  id?: string;
  seed?: number;
  /** Characters of base text to reach (whole copies of the Manifesto). */
  characters?: number;
  entries?: number;
  glossaryEntries?: number;
  glossLinks?: number;
  notes?: number;
  threads?: number;
  /** Characters of each of the two witness transcriptions. */
  witnessCharacters?: number;
}

export interface LargeEdition {
  id: string;
  doc: Y.Doc;
  /** The base text's ProseMirror document (as the generator built it). */
  body: Node;
  /** The witness transcription documents, by siglum (`<id>/witness/<siglum>`). */
  witnesses: { siglum: string; doc: Y.Doc; text: string }[];
}

const WITNESSES = ["WD", "Q", "RU"] as const;
const TRANSCRIBED = ["WD", "Q"] as const;
const SOURCES = ["editor", "collation", "import", "editor", "collation"];
const PEOPLE = ["anna", "boris", "clara", "dmitri"];
const VARIANTS = ["comrades", "the Soviet", "masses", "capital", "toilers", "vanguard", "councils"];

interface Word {
  from: number;
  to: number;
  /** Index of the text node the word is in (a lemma never spans two). */
  node: number;
}

/** The words of the base text (outside notes) with their positions. */
function wordsOf(doc: Node): Word[] {
  const words: Word[] = [];
  let node = 0;
  doc.descendants((n, pos) => {
    if (n.type.name === "note") return false;
    if (!n.isText) return true;
    node++;
    for (const m of (n.text ?? "").matchAll(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu))
      words.push({ from: pos + m.index, to: pos + m.index + m[0].length, node });
    return false;
  });
  return words;
}

/** One copy of a block with ids made distinct by `suffix`; the source's own lemma and gloss marks and anchors are left out. */
function copyNode(node: Node, suffix: string): Node | null {
  if (node.isText) {
    const marks = node.marks.filter((m: Mark) => m.type.name === "em" || m.type.name === "strong");
    return schema.text(node.text ?? "", marks);
  }
  if (node.type.name === "anchor") return null;
  const children: Node[] = [];
  node.forEach((child) => {
    const c = copyNode(child, suffix);
    if (c) children.push(c);
  });
  const attrs = { ...node.attrs };
  if (typeof attrs.id === "string") attrs.id = `${attrs.id}-${suffix}`;
  return node.type.create(attrs, children, node.marks);
}

/** Builds the large edition's documents (deterministic for a seed). */
export function largeEdition(options: LargeEditionOptions = {}): LargeEdition {
  const id = options.id ?? "large";
  const random = rng(options.seed ?? 17);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const source = manifestoDoc();
  const sourceBody = yXmlFragmentToProseMirrorRootNode(copyDoc(source).getXmlFragment(ROOTS.body), schema);
  const perCopy = sourceBody.textContent.length;
  const copies = Math.max(1, Math.round((options.characters ?? 1_000_000) / perCopy));
  const blocks: Node[] = [];
  for (let c = 0; c < copies; c++)
    sourceBody.forEach((block) => {
      const b = copyNode(block, `c${c}`);
      if (b) blocks.push(b);
    });
  let body = schema.nodes.doc.create(null, blocks);

  // Slots spread evenly over the words, each given one use: a lemma, an addition's anchor, a glossary
  // link, a footnote after the word, or a comment's target.
  const entryCount = options.entries ?? 10_000;
  const additions = Math.round(entryCount * 0.08);
  const glossLinks = options.glossLinks ?? 5_000;
  let existingNotes = 0;
  body.descendants((n) => {
    if (n.type.name === "note") existingNotes++;
    return n.type.name !== "note";
  });
  const newNotes = Math.max(0, (options.notes ?? 1_000) - existingNotes);
  const uses: ("lemma" | "anchor" | "gloss" | "note")[] = [
    ...Array<"lemma">(entryCount - additions).fill("lemma"),
    ...Array<"anchor">(additions).fill("anchor"),
    ...Array<"gloss">(glossLinks).fill("gloss"),
    ...Array<"note">(newNotes).fill("note"),
  ];
  for (let i = uses.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [uses[i], uses[j]] = [uses[j] as (typeof uses)[0], uses[i] as (typeof uses)[0]];
  }
  const words = wordsOf(body);
  const stride = Math.floor(words.length / uses.length);
  if (stride < 2) throw new RangeError(`${uses.length} marks do not fit in ${words.length} words`);

  const glossIds: string[] = [];
  const tr = new Transform(body);
  const inserts: { at: number; node: Node }[] = [];
  const lemmas: { id: string; lemma: string; addition: boolean }[] = [];
  let notes = 0;
  uses.forEach((use, k) => {
    const first = words[k * stride] as Word;
    if (use === "lemma" || use === "gloss") {
      // One to three words, never past the next slot nor out of the text node.
      let last = first;
      const span = 1 + Math.floor(random() * 3);
      for (let w = 1; w < span && w < stride; w++) {
        const next = words[k * stride + w] as Word;
        if (next.node !== first.node) break;
        last = next;
      }
      if (use === "lemma") {
        const app = `app-b${lemmas.length}`;
        tr.addMark(first.from, last.to, schema.marks.lemma.create({ app }));
        lemmas.push({ id: app, lemma: body.textBetween(first.from, last.to), addition: false });
      } else {
        const n = glossIds.length;
        const entry = `gl-bench-${n % (options.glossaryEntries ?? 200)}`;
        glossIds.push(entry);
        tr.addMark(first.from, last.to, schema.marks.gloss.create({ entry }));
      }
    } else if (use === "anchor") {
      const app = `app-b${lemmas.length}`;
      inserts.push({ at: first.to, node: schema.nodes.anchor.create({ app }) });
      lemmas.push({ id: app, lemma: "", addition: true });
    } else {
      notes++;
      const kind = pick(["editorial", "editorial", "translator", "original"] as const);
      inserts.push({
        at: first.to,
        node: schema.nodes.note.create(
          { id: `n-b${notes}`, kind, resp: kind === "original" ? "ICC" : null },
          schema.text(`Editorial note ${notes}: the wording here is discussed in the introduction.`),
        ),
      });
    }
  });
  // From the end backwards, so that each insertion leaves the earlier positions where they were.
  inserts.sort((a, b) => b.at - a.at);
  for (const { at, node } of inserts) tr.insert(at, node);
  body = tr.doc;

  const doc = new Y.Doc();
  const origin: Origin = { kind: "seed", editionId: id };
  const meta = readMeta(source);
  seedEditionDoc(
    doc,
    {
      id,
      title: `${meta.title} (benchmark: ${copies} copies)`,
      baseWitness: meta.baseWitness,
      provenance: meta.provenance ?? { title: meta.title, publication: "", date: "", address: "", extra: {} },
      body,
    },
    origin,
  );
  const at = Date.UTC(2026, 0, 1);
  doc.transact(() => {
    for (const w of listWitnesses(source))
      setWitness(doc, {
        ...w,
        hasText: (TRANSCRIBED as readonly string[]).includes(w.siglum) || w.siglum === meta.baseWitness,
        coveredBlocks: [],
      });
    const real = listGlossary(source);
    const count = options.glossaryEntries ?? 200;
    for (let g = 0; g < count; g++) {
      const model = real[g % real.length];
      createGlossaryEntry(doc, {
        id: `gl-bench-${g}`,
        kind: model?.kind ?? pick(GLOSSARY_KINDS),
        headword: `${model?.headword ?? "Entry"} (${g})`,
        forms: model?.forms ?? [],
        definition: model?.definition ?? "",
        wikidata: model?.wikidata ?? "",
        viaf: model?.viaf ?? "",
        source: model?.source ?? "",
      });
    }
    lemmas.forEach((l, n) => {
      const readings: Record<string, Reading> = {};
      for (const siglum of WITNESSES) {
        const r = random();
        if (r < 0.15) continue; // this witness has no reading here
        readings[siglum] =
          r < 0.3 && !l.addition ? { kind: "om", text: "" } : { kind: "text", text: pick(VARIANTS) };
      }
      const type = l.addition ? "addition" : (VARIANT_TYPES[n % VARIANT_TYPES.length] ?? "substantive");
      createEntry(
        doc,
        {
          id: l.id,
          type,
          source: pick(SOURCES),
          by: pick(PEOPLE),
          note: n % 5 === 0 ? `Entry ${n}: compare the French text.` : "",
          lemma: l.addition ? undefined : l.lemma,
          readings,
        },
        at + n * 1000,
      );
      // Statuses are per reading: about half proposed, a third accepted, the rest rejected.
      for (const siglum of Object.keys(readings)) {
        const r = random();
        if (r < 0.5) continue;
        decide(doc, l.id, { status: r < 0.85 ? "accepted" : "rejected", sigla: [siglum] }, pick(PEOPLE), at);
      }
    });
  }, origin);

  // Comment threads: three in four on a stretch of a paragraph's text, the rest on an entry.
  const threads = options.threads ?? 2_000;
  const texts: Y.XmlText[] = [];
  for (const block of doc.getXmlFragment(ROOTS.body).toArray())
    if (block instanceof Y.XmlElement && block.nodeName === "paragraph")
      for (const child of block.toArray())
        if (child instanceof Y.XmlText && child.length > 40) texts.push(child);
  doc.transact(() => {
    for (let t = 0; t < threads; t++) {
      const author = pick(PEOPLE);
      const when = at + t * 60_000;
      if (t % 4 === 3) {
        createThread(
          doc,
          `c-b${t}`,
          { kind: "entry", app: pick(lemmas).id },
          author,
          `About this entry (${t}).`,
          when,
        );
        continue;
      }
      const text = texts[Math.floor((t / threads) * texts.length)] as Y.XmlText;
      const plain = plainText(text);
      const from = Math.floor(random() * (plain.length - 30));
      createThread(
        doc,
        `c-b${t}`,
        textTarget(text, from, from + 12 + Math.floor(random() * 18)),
        author,
        `Check this wording (${t}).`,
        when,
      );
    }
  }, origin);

  // Two witness transcriptions, each ~300k characters of the base text with scripted edits.
  const plainBase = docToPlainBlocks(body)
    .map((b) => b.text)
    .join("\n\n");
  const witnessChars = options.witnessCharacters ?? 300_000;
  const witnesses = TRANSCRIBED.map((siglum, w) => {
    const start = plainBase.indexOf("\n\n", w * witnessChars) + 2;
    const end = plainBase.indexOf("\n\n", start + witnessChars);
    const stretch = plainBase.slice(start, end < 0 ? undefined : end);
    const { witness } = syntheticWitness(stretch, 100 + w, Math.round(stretch.length / 400));
    const wdoc = new Y.Doc();
    const paragraphs = witness
      .split("\n\n")
      .filter((p) => p.trim() !== "")
      .map((p, n) => schema.nodes.paragraph.create({ id: `w${n}` }, schema.text(p)));
    wdoc.transact(() => {
      wdoc.getMap(ROOTS.meta).set("witnessOf", id);
      wdoc.getMap(ROOTS.meta).set("siglum", siglum);
      prosemirrorToYXmlFragment(schema.nodes.doc.create(null, paragraphs), wdoc.getXmlFragment(ROOTS.body));
    }, origin);
    return { siglum, doc: wdoc, text: witness };
  });
  return { id, doc, body, witnesses };
}

/** What an edition document holds, counted from the document itself. */
export interface EditionCounts {
  characters: number;
  blocks: number;
  entries: number;
  additions: number;
  readings: number;
  readingStatuses: Record<string, number>;
  types: number;
  glossaryEntries: number;
  glossLinks: number;
  notes: number;
  threads: number;
}

export function countEdition(ydoc: Y.Doc): EditionCounts {
  const body = yXmlFragmentToProseMirrorRootNode(copyDoc(ydoc).getXmlFragment(ROOTS.body), schema);
  let characters = 0;
  let blocks = 0;
  let notes = 0;
  let additions = 0;
  let glossLinks = 0;
  body.descendants((n) => {
    if (n.isTextblock) blocks++;
    if (n.type.name === "note") notes++;
    if (n.type.name === "anchor") additions++;
    if (n.isText) characters += n.text?.length ?? 0;
    return true;
  });
  // A link is a run of one gloss mark in a textblock (split over several text nodes by em or a lemma).
  body.descendants((n) => {
    if (!n.isTextblock) return true;
    let open = new Set<string>();
    n.forEach((child) => {
      const now = new Set(child.marks.filter((m) => m.type.name === "gloss").map((m) => `${m.attrs.entry}`));
      for (const e of now) if (!open.has(e)) glossLinks++;
      open = now;
    });
    return false;
  });
  const apparatus = ydoc.getMap<Y.Map<unknown>>(ROOTS.apparatus);
  let readings = 0;
  const types = new Set<string>();
  for (const [, entry] of apparatus) {
    readings += (entry.get("readings") as Y.Map<unknown>).size;
    types.add(String(entry.get("type")));
  }
  const readingStatuses: Record<string, number> = { proposed: 0, accepted: 0, rejected: 0 };
  for (const [key, value] of ydoc.getMap<unknown>(ROOTS.decisions))
    if (key.includes("/")) {
      const s = (value as { status: string }).status;
      readingStatuses[s] = (readingStatuses[s] ?? 0) + 1;
    }
  readingStatuses.proposed = readings - (readingStatuses.accepted ?? 0) - (readingStatuses.rejected ?? 0);
  return {
    characters,
    blocks,
    entries: apparatus.size,
    additions,
    readings,
    readingStatuses,
    types: types.size,
    glossaryEntries: ydoc.getMap(ROOTS.glossary).size,
    glossLinks,
    notes,
    threads: ydoc.getMap(ROOTS.comments).size,
  };
}
