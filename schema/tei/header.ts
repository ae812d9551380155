/**
 * The parts of a TEI file outside the text: the header (title, base provenance, revisions, who is
 * responsible), and the witness register from every `listWit` in the file (header, front, back, nested).
 */
import type { Element } from "@xmldom/xmldom";
import type { Revision } from "../tei.ts";
import type { Provenance } from "../textformat.ts";
import { IMPORTED_SIGLUM, type WitnessRecord } from "../witnesses.ts";
import { child, children, descendants, elementsNamed, find, text } from "./dom.ts";
import { type ReadState, witnessesOf } from "./state.ts";

/** What our export writes in `sourceDesc` when no source is recorded. */
export const NO_SOURCE = "No source is recorded for this edition.";

/** Reports the header parts this import does not keep (the export writes its own publication statement). */
export function reportHeader(state: ReadState, header: Element | null): void {
  const kept: Record<string, string[]> = {
    teiHeader: ["fileDesc", "encodingDesc", "revisionDesc"],
    fileDesc: ["titleStmt", "publicationStmt", "sourceDesc"],
    sourceDesc: ["bibl", "listWit", "p", "listBibl"],
    encodingDesc: ["variantEncoding"],
  };
  const dropped = (c: Element, where: string, how = "not represented") =>
    state.report.dropped(c, `<${c.localName}> in <${where}>`, how);
  const walk = (el: Element | null) => {
    for (const c of children(el)) {
      const allowed = kept[el?.localName ?? ""] ?? [];
      if (!allowed.includes(c.localName ?? "") || (c.localName === "p" && text(c) !== NO_SOURCE))
        dropped(c, el?.localName ?? "");
      else if (c.localName === "publicationStmt") {
        if (text(child(c, "publisher")) !== "Variorum") dropped(c, "fileDesc", "the export writes its own");
      } else if (c.localName === "variantEncoding") {
        const method = c.getAttribute("method") ?? "";
        if (method === "parallel-segmentation")
          state.report.kept(c, "<variantEncoding>", "parallel segmentation");
        else if (method === "double-end-point" || method === "location-referenced")
          state.report.converted(
            c,
            "@method on <variantEncoding>",
            "to parallel segmentation where each entry's anchors allow (each entry is reported under <app>)",
            method,
          );
        else
          state.report.dropped(
            c,
            "@method on <variantEncoding>",
            "only parallel segmentation is read: app elements are read as if in the text, and their @from/@to or @loc are not converted",
            method,
          );
      } else if (c.localName === "listBibl" && c.getAttribute("type") !== "reading-sources") {
        dropped(c, "sourceDesc");
      } else if (c.localName === "bibl" && c.getAttribute("type") !== "base-text") {
        dropped(c, "sourceDesc", "only the base text's bibl is represented");
      } else if (kept[c.localName ?? ""]) walk(c);
    }
  };
  walk(header);
  if (!header) return;
  for (const t of children(child(child(header, "fileDesc"), "titleStmt"))) {
    const ours = t.localName === "respStmt" && (t.getAttribute("xml:id") ?? "").startsWith("resp-");
    if (t.localName !== "title" && !ours) dropped(t, "titleStmt");
  }
}

export interface ReadWitness {
  record: WitnessRecord;
  n: string | null;
}

/** Every witness declared in any `listWit` of the document; nested lists with an id become groups. */
export function readWitnesses(state: ReadState, root: Element): ReadWitness[] {
  const out: ReadWitness[] = [];
  const lists = elementsNamed(root, "listWit");
  for (const list of lists) {
    for (const w of children(list)) {
      if (w.localName === "witness") {
        const r = readWitness(state, w);
        if (r && !out.some((o) => o.record.siglum === r.record.siglum)) out.push(r);
        else if (r) state.report.dropped(w, "<witness>", `a second witness "${r.record.siglum}" is left out`);
      } else if (w.localName !== "listWit" && w.localName !== "head") {
        state.report.dropped(w, `<${w.localName}> in <listWit>`, "not represented");
      }
    }
    const id = list.getAttribute("xml:id");
    if (id) {
      const members = descendants(list)
        .filter((e) => e.localName === "witness")
        .map((e) => e.getAttribute("xml:id") ?? "");
      state.witnessGroups.set(id, members.filter(Boolean));
      state.report.converted(
        list,
        "<listWit> with an xml:id",
        "a pointer to it stands for each of its witnesses",
      );
    }
  }
  return out;
}

function readWitness(state: ReadState, w: Element): ReadWitness | null {
  const siglum = w.getAttribute("xml:id") ?? "";
  if (!IMPORTED_SIGLUM.test(siglum)) {
    state.report.dropped(
      w,
      "<witness>",
      "no usable xml:id (a letter or _, then up to 31 letters, digits, _ . -); it and its readings are left out",
      siglum,
    );
    return null;
  }
  const bibl = child(w, "bibl");
  const notes = new Map(
    children(bibl)
      .filter((c) => c.localName === "note")
      .map((c) => [c.getAttribute("type") ?? "", c]),
  );
  const coverageNote = notes.get("coverage");
  state.report.kept(w, "<witness>", "a witness of the register");
  return {
    record: {
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
    },
    n: w.getAttribute("n"),
  };
}

/** Our export's sources of readings that are not witnesses (`listBibl[@type="reading-sources"]`). */
export function readSourceList(state: ReadState, sourceDesc: Element | null): WitnessRecord[] {
  const list = children(sourceDesc).find(
    (c) => c.localName === "listBibl" && c.getAttribute("type") === "reading-sources",
  );
  const out: WitnessRecord[] = [];
  for (const b of children(list ?? null)) {
    const id = b.getAttribute("xml:id") ?? "";
    if (b.localName !== "bibl" || !IMPORTED_SIGLUM.test(id)) {
      state.report.dropped(b, `<${b.localName}> in <listBibl>`, "not a source of readings with a usable id");
      continue;
    }
    state.report.kept(b, "<bibl> of a source of readings", "a source of readings");
    const description = children(b).find(
      (c) => c.localName === "note" && c.getAttribute("type") === "description",
    );
    out.push(sourceRecord(id, text(child(b, "title")) || id, text(description ?? null)));
  }
  return out;
}

/** The register entry of a source of readings that is not a witness (a conjecture, an editor). */
export function sourceRecord(siglum: string, title: string, description: string): WitnessRecord {
  return {
    siglum,
    title,
    publication: "",
    date: "",
    language: "",
    coverage: "partial",
    covers: "",
    description,
    address: "",
    provenance: "",
    hasText: false,
    coveredBlocks: [],
    kind: "source",
  };
}

/**
 * The base witness: the one marked `n="base"`; else the first declared witness that every `lem/@wit`
 * names (the lemma's witnesses as the file gives them); else the first declared one.
 */
export function chooseBase(state: ReadState, root: Element, witnesses: ReadWitness[]): string {
  const marked = witnesses.find((w) => w.n === "base");
  if (marked) return marked.record.siglum;
  // Our own export marks the base witness; one that marks none has a base that is no witness of the register.
  const publisher = find(root, ["teiHeader", "fileDesc", "publicationStmt", "publisher"]);
  if (text(publisher) === "Variorum" && witnesses.length > 0) return "BASE";
  const lemWits = elementsNamed(root, "lem")
    .map((l) => l.getAttribute("wit"))
    .filter((w): w is string => w !== null)
    .map((w) => new Set(witnessesOf(state, w)));
  const everyLemma = witnesses.find(
    (w) => lemWits.length > 0 && lemWits.every((s) => s.has(w.record.siglum)),
  );
  return everyLemma?.record.siglum ?? witnesses[0]?.record.siglum ?? "BASE";
}

export function readProvenance(sourceDesc: Element | null): Provenance | null {
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

/** A W3C date or dateTime, as `@when` takes it. */
const W3C_DATE = /^-?\d{4}(-\d\d(-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?)?)?)?$/;

/** `change` elements, their date from `@when` or from a `date/@when` inside (kept, never lost). */
export function readRevisions(state: ReadState, revisionDesc: Element | null): Revision[] {
  const out: Revision[] = [];
  for (const c of children(revisionDesc)) {
    if (c.localName !== "change") {
      state.report.dropped(c, `<${c.localName}> in <revisionDesc>`, "not represented");
      continue;
    }
    if (c.getAttribute("type") === "none") continue;
    const date = child(c, "date");
    const when = c.getAttribute("when") ?? date?.getAttribute("when") ?? text(date);
    const label = text(c);
    if (when && !W3C_DATE.test(when)) {
      state.report.converted(c, "<change> date", "not a W3C date; kept in its label", when);
      out.push({ when: "", who: c.getAttribute("resp") || null, label: `${when}: ${label}` });
      continue;
    }
    state.report.kept(c, "<change>", "a revision");
    out.push({ when, who: c.getAttribute("resp") || null, label });
  }
  return out;
}

/** The names of our `respStmt`s by id (an id cannot hold every character a name can). */
export function readRespNames(header: Element | null): Map<string, string> {
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
