import { Transform } from "prosemirror-transform";
import { updateYFragment } from "y-prosemirror";
import type * as Y from "yjs";
import {
  createEntry,
  deleteEntry,
  placements,
  readEntry,
  removeReading,
  setReading,
  type VariantType,
} from "../schema/apparatus.ts";
import { collate, type Normalisation, type Variant } from "../schema/collate.ts";
import { ROOTS } from "../schema/layout.ts";
import type { Origin } from "../schema/origin.ts";
import { plainMap } from "../schema/positions.ts";
import { readBody } from "../schema/readBody.ts";
import { schema } from "../schema/schema.ts";
import { docToPlainBlocks } from "../schema/textdoc.ts";
import { getWitness, setWitness } from "../schema/witnesses.ts";
import type { OpenDocument } from "./document.ts";
import type { Documents } from "./documents.ts";
import { waitForState } from "./stateWait.ts";
import { type WitnessResult, witnessDocName } from "./witnesses.ts";

const CLASS_TO_TYPE: Record<string, VariantType> = {
  substantive: "substantive",
  orthographic: "orthographic",
  punctuation: "punctuation",
  omission: "omission",
  addition: "addition",
  transposition: "transposition",
};

export interface CollationSummary {
  created: number;
  /** Readings entered in another witness's proposed entry at the same place (one app for both). */
  joined: number;
  replaced: number;
  skipped: number;
  lacunae: number;
  coveredBlocks: number;
  /** Variants found again where a person had already decided this witness's reading: left as decided. */
  alreadyDecided: number;
  /** Witness text that aligns with nothing in the base, for a person to place (never made an entry). */
  unaligned: { text: string; near: string | null }[];
  /** Characters of the transcription still an OCR draft no person has accepted (collated all the same). */
  ocrDraftCharacters: number;
}

/**
 * Collates a witness's document with the base text and enters the variants as *proposed* apparatus
 * entries (source "collation"), replacing the still-proposed entries of an earlier collation of the same
 * witness; decided ones are kept. For a partial witness, the blocks it covers are recorded.
 */
export async function collateWitness(
  documents: Documents,
  edition: OpenDocument,
  siglum: string,
  by: string | null,
  normalise: Partial<Normalisation> = {},
  nearMatch?: number,
  /** The state vector of the transcription as the asker had it: collated only once the server holds it. */
  after?: Uint8Array,
): Promise<WitnessResult<CollationSummary>> {
  if (!getWitness(edition.ydoc, siglum))
    return { ok: false, status: 404, error: `unknown witness "${siglum}" in edition "${edition.name}"` };
  let ocrDraftCharacters = 0;
  let behind = false;
  const witnessText = await documents.with(witnessDocName(edition.name, siglum), async (doc) => {
    if (after && !(await waitForState(doc, after, 10_000))) {
      behind = true;
      return "";
    }
    const body = readBody(doc.ydoc);
    body.descendants((n) => {
      if (n.isText && n.marks.some((m) => m.type === schema.marks.ocr))
        ocrDraftCharacters += n.text?.length ?? 0;
    });
    return docToPlainBlocks(body)
      .map((b) => b.text)
      .join("\n\n");
  });
  if (behind)
    return {
      ok: false,
      status: 409,
      error: `the latest changes to the transcription of "${siglum}" have not reached the server yet; try again`,
    };
  if (witnessText === null)
    return {
      ok: false,
      status: 409,
      error: `witness "${siglum}" has no text yet: import or transcribe it first`,
    };
  if (!witnessText.trim())
    return { ok: false, status: 409, error: `witness "${siglum}"'s transcription is empty` };
  // From here to the change nothing is awaited: the entries are placed on the text as it is now.
  const witness = getWitness(edition.ydoc, siglum);
  if (!witness)
    return { ok: false, status: 404, error: `unknown witness "${siglum}" in edition "${edition.name}"` };

  const live = edition.ydoc;
  const stale = [...live.getMap<Y.Map<unknown>>(ROOTS.apparatus).keys()].filter((id) => {
    const e = readEntry(live, id);
    return e?.source === "collation" && siglum in e.readings && e.decisions[siglum]?.status === "proposed";
  });
  // An entry another witness also reads (witnesses collated at one place share an entry) stays, with
  // its place; only this witness's reading leaves it. The rest go, marks and all.
  const shared = stale.filter((id) => Object.keys(readEntry(live, id)?.readings ?? {}).length > 1);
  const sharedSet = new Set(shared);
  const staleSet = new Set(stale.filter((id) => !sharedSet.has(id)));
  // The base text without the stale entries' marks, as the new collation will see it.
  let body = readBody(live);
  const clean = new Transform(body);
  // One walk over the text: each stale lemma is removed where it is, not searched for in the whole text
  // once per entry (quadratic in a dense edition). Marks first, then anchors, mapped through both.
  const spans: { from: number; to: number; mark: (typeof body.marks)[number] }[] = [];
  const anchors: number[] = [];
  body.descendants((node, pos) => {
    if (node.type.name === "anchor" && staleSet.has(node.attrs.app)) anchors.push(pos);
    for (const mark of node.marks)
      if (mark.type === schema.marks.lemma && staleSet.has(mark.attrs.app))
        spans.push({ from: pos, to: pos + node.nodeSize, mark });
    return true;
  });
  for (const s of spans) clean.removeMark(s.from, s.to, s.mark);
  for (const pos of anchors) clean.delete(clean.mapping.map(pos), clean.mapping.map(pos + 1));
  body = clean.doc;
  const map = plainMap(body);
  const result = collate(map.text, witnessText, {
    partial: witness.coverage === "partial",
    normalise,
    ...(nearMatch === undefined ? {} : { nearMatch }),
  });

  // What a person already decided on this witness (accepted or rejected) is never proposed again.
  const decided = new Set<string>();
  for (const p of placements(body)) {
    const e = readEntry(live, p.id);
    const r = e?.readings[siglum];
    if (!e || !r || e.decisions[siglum]?.status === "proposed") continue;
    const key = `${r.kind}\u0000${r.kind === "om" ? "" : r.text}`;
    if (p.from === p.to) for (const at of [p.from, p.from + 1]) decided.add(`${at}:${at}:${key}`);
    else decided.add(`${p.from}:${p.to}:${key}`);
  }
  // Another witness's proposed collation entry on exactly this place and of this type: this witness's
  // reading joins it, so that one app carries every witness's reading there.
  const joinable = new Map<string, string>();
  for (const p of placements(body)) {
    const e = readEntry(live, p.id);
    if (e?.source !== "collation" || (siglum in e.readings && !sharedSet.has(p.id))) continue;
    joinable.set(`${p.from}:${p.to}:${e.type}`, p.id);
  }
  const joins: { id: string; reading: { kind: "text" | "om"; text: string } }[] = [];
  const alreadyDecided = (from: number, to: number, reading: { kind: string; text: string }) =>
    decided.has(`${from}:${to}:${reading.kind}\u0000${reading.kind === "om" ? "" : reading.text}`);
  let kept = 0;
  const tr = new Transform(body);
  const entries: {
    id: string;
    type: VariantType;
    lemma: string;
    reading: { kind: "text" | "om"; text: string };
  }[] = [];
  let skipped = 0;
  // A transposition within a paragraph is one entry on the whole stretch between its two places: the
  // base's words in the base's order, the witness's reading in the witness's. Across paragraphs it stays
  // on the base's words, and its note says where the witness has them. Transpositions are entered after
  // the variants inside them, so that those are the inner marks.
  const ordered = [
    ...result.variants.filter((v) => v.type !== "transposition"),
    ...result.variants
      .filter((v) => v.type === "transposition")
      .map((v) => transpositionStretch(v, map.text, witnessText)),
  ];
  const notes = new Map<string, string>();
  ordered.forEach((v, n) => {
    const id = `app-${siglum.toLowerCase()}-c${Date.now().toString(36)}${n}`;
    if (v.moved?.acrossParagraphs) notes.set(id, movedNote(siglum, v, map.text));
    const reading =
      v.type === "omission"
        ? ({ kind: "om", text: "" } as const)
        : ({ kind: "text", text: v.witness.text } as const);
    if (v.base.start === v.base.end) {
      const at = map.posAt[v.base.start] ?? map.posAt[v.base.start - 1];
      if (at === undefined || at < 0) {
        skipped++;
        return;
      }
      if (alreadyDecided(at, at, reading)) {
        kept++;
        return;
      }
      const type = v.class === "punctuation" ? "punctuation" : "addition";
      const join = joinable.get(`${at}:${at}:${type}`) ?? joinable.get(`${at + 1}:${at + 1}:${type}`);
      if (join) {
        joins.push({ id: join, reading });
        return;
      }
      tr.insert(tr.mapping.map(at), schema.nodes.anchor.create({ app: id }));
      entries.push({ id, type: v.class === "punctuation" ? "punctuation" : "addition", lemma: "", reading });
      return;
    }
    const from = map.posAt[v.base.start] as number;
    const last = map.posAt[v.base.end - 1] as number;
    if (from < 0 || last < 0 || map.blockAt[v.base.start] !== map.blockAt[v.base.end - 1]) {
      skipped++;
      return;
    }
    if (alreadyDecided(from, last + 1, reading)) {
      kept++;
      return;
    }
    const join = joinable.get(`${from}:${last + 1}:${CLASS_TO_TYPE[v.class] ?? "substantive"}`);
    if (join) {
      joins.push({ id: join, reading });
      return;
    }
    const a = tr.mapping.map(from);
    const b = tr.mapping.map(last + 1);
    // An existing lemma that partly overlaps this one cannot be expressed in parallel segmentation.
    let clash = false;
    tr.doc.nodesBetween(a, b, (node, pos) => {
      for (const m of node.marks) {
        if (m.type.name !== "lemma") continue;
        const inside = pos >= a && pos + node.nodeSize <= b;
        if (!inside && (pos < a || pos + node.nodeSize > b) && !(pos <= a && pos + node.nodeSize >= b))
          clash = true;
      }
    });
    if (clash) {
      skipped++;
      return;
    }
    tr.addMark(a, b, schema.marks.lemma.create({ app: id }));
    entries.push({
      id,
      type: CLASS_TO_TYPE[v.class] ?? "substantive",
      lemma: map.text.slice(v.base.start, v.base.end),
      reading,
    });
  });
  // A partial witness covers a block only where at least half of the block's letters align with it:
  // a word or two matched inside a paragraph the witness lacks does not make it covered.
  const covered = new Set<string>();
  if (witness.coverage === "partial") {
    const letters = new Map<string, number>();
    const aligned = new Map<string, number>();
    const isLetter = (c: string) => /[\p{L}\p{N}]/u.test(c);
    for (let i = 0; i < map.text.length; i++) {
      const id = map.blockAt[i];
      if (id && isLetter(map.text[i] as string)) letters.set(id, (letters.get(id) ?? 0) + 1);
    }
    for (const s of result.segments) {
      if (s.kind !== "equal") continue;
      for (let i = s.base.start; i < s.base.end; i++) {
        const id = map.blockAt[i];
        if (id && isLetter(map.text[i] as string)) aligned.set(id, (aligned.get(id) ?? 0) + 1);
      }
    }
    for (const [id, n] of aligned) if (n * 2 >= (letters.get(id) ?? 0)) covered.add(id);
    // A block the witness lacks part of (it stops, or starts, inside it) is not covered whole: covering
    // it would put the base's words there into the witness's mouth. Its readings still speak for it.
    for (const l of result.lacunae)
      for (let i = l.base.start; i < l.base.end; i++) {
        const id = map.blockAt[i];
        if (id && isLetter(map.text[i] as string)) covered.delete(id);
      }
  }
  const origin: Origin = { kind: "server", reason: `collate witness ${siglum}`, user: by };
  await edition.transact(origin, (doc) => {
    for (const id of staleSet) deleteEntry(doc, id);
    for (const id of shared) removeReading(doc, id, siglum);
    for (const j of joins) setReading(doc, j.id, siglum, j.reading);
    updateYFragment(doc, doc.getXmlFragment(ROOTS.body), tr.doc, { mapping: new Map(), isOMark: new Map() });
    for (const e of entries) {
      createEntry(doc, {
        id: e.id,
        type: e.type,
        source: "collation",
        by,
        lemma: e.lemma,
        readings: { [siglum]: e.reading },
        ...(notes.has(e.id) ? { note: notes.get(e.id) } : {}),
      });
    }
    if (witness.coverage === "partial") setWitness(doc, { ...witness, coveredBlocks: [...covered] });
  });
  return {
    ok: true,
    created: entries.length,
    joined: joins.length,
    replaced: stale.length,
    skipped,
    lacunae: result.lacunae.length,
    coveredBlocks: covered.size,
    alreadyDecided: kept,
    ocrDraftCharacters,
    unaligned: result.unaligned.map((u) => ({
      text: u.witness.text,
      near: map.blockAt[Math.min(u.baseAt, map.text.length - 1)] ?? null,
    })),
  };
}

/**
 * A transposition within a paragraph as the stretch between its two places: in the base, from the
 * first place to the second; in the witness, the same stretch in its order ("He was agast, so] So he
 * was agast"). One across paragraphs is left on the base's words.
 */
function transpositionStretch(v: Variant, base: string, witness: string): Variant {
  if (!v.moved || v.moved.acrossParagraphs) return v;
  const b0 = Math.min(v.base.start, v.moved.base);
  const b1 = Math.max(v.base.end, v.moved.base);
  const w0 = Math.min(v.witness.start, v.moved.witness);
  const w1 = Math.max(v.witness.end, v.moved.witness);
  // A place is the end of the word before it: the stretch begins at the next word, not at the space.
  const trimmed = (text: string, from: number, to: number) => {
    let a = from;
    let b = to;
    while (a < b && /\s/.test(text[a] as string)) a++;
    while (b > a && /\s/.test(text[b - 1] as string)) b--;
    return { start: a, end: b, text: text.slice(a, b) };
  };
  return { ...v, base: trimmed(base, b0, b1), witness: trimmed(witness, w0, w1) };
}

/** The note of a move across paragraphs: where the witness has the words (after which words of the base). */
function movedNote(siglum: string, v: Variant, base: string): string {
  const at = v.moved?.base ?? v.base.start;
  const before = base
    .slice(Math.max(0, at - 80), at)
    .split(/\s+/)
    .filter(Boolean)
    .slice(-6)
    .join(" ");
  return `Transposition across paragraphs: ${siglum} has these words in another paragraph${before ? `, after “${before}”` : ", at its start"} (proposed by collation).`;
}
