/**
 * TEI P5 import: reads a TEI document into a new edition's first `Y.Doc`, and reports, grouped by element
 * with counts and lines, what it kept, converted and dropped. Refuses, naming the limit, what it cannot
 * read safely: files over MAX_TEI_BYTES, bytes that are not UTF-8, DTDs and entities, nesting deeper
 * than MAX_TEI_DEPTH, XML that is not well-formed, a root that is not `<TEI>`.
 */
import { DOMParser, type Element } from "@xmldom/xmldom";
import * as Y from "yjs";
import { createEntry } from "../apparatus.ts";
import { decideEntryWithoutReadings, decideReading } from "../decisions.ts";
import { createGlossaryEntry } from "../glossary.ts";
import { ROOTS, seedEditionDoc } from "../layout.ts";
import type { Origin } from "../origin.ts";
import { schema } from "../schema.ts";
import type { Provenance } from "../textformat.ts";
import { setWitness, type WitnessRecord } from "../witnesses.ts";
import { readApp } from "./apparatus.ts";
import { convertApparatus } from "./apparatusConversion.ts";
import { readBibliographyStandOff, writeImportedBibliography } from "./bibliographyImport.ts";
import { blocks } from "./body.ts";
import { child, descendants, find, TEI_NS, text } from "./dom.ts";
import { respOf } from "./elements.ts";
import {
  type FacsimilePage,
  type ImportedZone,
  readFacsimile,
  reportUnlinkedZones,
  takeFacsimile,
  writeZones,
} from "./facsimile.ts";
import { readGlossary } from "./glossary.ts";
import {
  chooseBase,
  readProvenance,
  readRespNames,
  readRevisions,
  readSourceList,
  readWitnesses,
  reportHeader,
  sourceRecord,
} from "./header.ts";
import { inline } from "./inline.ts";
import { decodeUtf8, depthError, prologError, sizeError } from "./limits.ts";
import { type ImportReport, Report } from "./report.ts";
import { newState, type ReadState } from "./state.ts";
import { readTextStrays } from "./textParts.ts";

export type ImportResult =
  | {
      ok: true;
      doc: Y.Doc;
      title: string;
      report: ImportReport;
      /** The file's page images (references, never copied) and the zones written into `doc`. */
      facsimile?: { pages: FacsimilePage[]; zones: ImportedZone[] };
    }
  | { ok: false; errors: string[] };

/** Imports a TEI file's bytes: refused if too large or not UTF-8, then read as `importTei` does. */
export function importTeiBytes(bytes: Uint8Array, editionId: string): ImportResult {
  const tooBig = sizeError(bytes.length);
  if (tooBig) return { ok: false, errors: [tooBig] };
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) return { ok: false, errors: [decoded.error] };
  return importTei(decoded.text, editionId);
}

/** Imports a TEI document as the first state of an edition with the given id. */
export function importTei(xml: string, editionId: string): ImportResult {
  const refusal = sizeError(new TextEncoder().encode(xml).length) ?? prologError(xml) ?? depthError(xml);
  if (refusal) return { ok: false, errors: [refusal] };
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
  if (errors.length > 0) {
    return {
      ok: false,
      errors: errors.map((e) =>
        /entity not found/.test(e)
          ? `DTDs and entities are not supported: ${e.replace(/^.*entity not found:?\s*/, "")} is not one of XML's five (&amp; &lt; &gt; &quot; &apos;); write the character itself or a numeric reference`
          : `not well-formed XML: ${e}`,
      ),
    };
  }
  const root = dom.documentElement;
  if (root?.localName !== "TEI" || root.namespaceURI !== TEI_NS) {
    return { ok: false, errors: [`the root element is not <TEI> in the TEI namespace (${TEI_NS})`] };
  }
  return read(root, editionId);
}

function read(root: Element, editionId: string): ImportResult {
  const state = newState(new Report());
  const header = child(root, "teiHeader");
  reportHeader(state, header);
  const title = text(find(header, ["fileDesc", "titleStmt", "title"])) || editionId;
  const witnesses = readWitnesses(state, root);
  for (const w of witnesses) state.sigla.add(w.record.siglum);
  const sourceList = readSourceList(state, find(header, ["fileDesc", "sourceDesc"]));
  for (const r of sourceList) state.sigla.add(r.siglum);
  for (const el of descendants(root)) {
    const id = el.getAttribute("xml:id");
    if (id && !state.titles.has(id)) state.titles.set(id, text(el));
  }
  state.base = chooseBase(state, root, witnesses);
  const provenance = readProvenance(find(header, ["fileDesc", "sourceDesc"]));
  const revisions = readRevisions(state, find(header, ["revisionDesc"]));
  state.respNames = readRespNames(header);
  state.facsimile = readFacsimile(state, root);
  const detached = (app: Element) => {
    readApp(
      state,
      app,
      [],
      (e, m) => inline(state, e, m),
      (e) => respOf(state, e),
      true,
    );
  };
  convertApparatus(state, root, detached);
  const glossary = readGlossary(state, child(root, "standOff"), detached);
  for (const g of glossary) state.glossaryIds.add(g.id);
  const bibliography = readBibliographyStandOff(state.report, child(root, "standOff"));
  const textEl = child(root, "text");
  readTextStrays(state, textEl);
  const body = child(textEl, "body");
  if (!body) return { ok: false, errors: ["the document has no <text><body>"] };
  state.report.kept(body, "<body>", "the base text");
  const matter = (part: "front" | "back") => {
    const el = child(textEl, part);
    if (!el) return [];
    state.report.kept(
      el,
      `<${part}>`,
      `${part} matter, kept ${part === "front" ? "before" : "after"} the text`,
    );
    const inner = blocks(state, el, 1);
    return inner.length > 0 ? [schema.nodes.matter.create({ part }, inner)] : [];
  };
  const front = matter("front");
  const back = matter("back");
  const content = [...front, ...blocks(state, body, 1), ...back];
  const read = schema.nodes.doc.create(
    null,
    content.length > 0 ? content : [schema.nodes.paragraph.create()],
  );
  try {
    read.check();
  } catch (error) {
    return { ok: false, errors: [`the body does not fit the edition model: ${(error as Error).message}`] };
  }
  const { doc, zones } = takeFacsimile(read, state.facsimile);
  reportUnlinkedZones(state, zones);
  for (const siglum of state.undeclared) {
    state.report.converted(
      null,
      "a witness no <listWit> declares",
      "registered under its siglum, with its siglum as title",
      siglum,
    );
  }
  const records: WitnessRecord[] = [
    ...witnesses.map((w) => w.record),
    ...[...state.undeclared].map((siglum) => undeclaredWitness(siglum)),
    ...sourceList,
    ...[...state.sources].map(([id, title]) =>
      sourceRecord(
        id,
        title,
        "a source of readings (rdg/@source) in the imported file, not a witness of the text",
      ),
    ),
  ];
  const ydoc = new Y.Doc();
  const origin: Origin = { kind: "import", what: `TEI for edition ${editionId}` };
  seedEditionDoc(
    ydoc,
    { id: editionId, title, baseWitness: state.base, provenance: provenance ?? emptyProvenance(), body: doc },
    origin,
  );
  ydoc.transact(() => {
    if (!provenance) ydoc.getMap(ROOTS.meta).delete("provenance");
    if (revisions.length > 0) ydoc.getMap(ROOTS.meta).set("revisions", revisions);
    for (const w of records) setWitness(ydoc, w);
    for (const g of glossary) createGlossaryEntry(ydoc, g);
    writeEntries(ydoc, state);
    writeImportedBibliography(ydoc, bibliography, state.report);
    writeZones(ydoc, zones);
  }, origin);
  const facsimile = state.facsimile ? { pages: state.facsimile.pages, zones } : undefined;
  return { ok: true, doc: ydoc, title, report: state.report.result(), ...(facsimile ? { facsimile } : {}) };
}

function writeEntries(ydoc: Y.Doc, state: ReadState): void {
  for (const e of state.entries.values()) {
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
        ...(e.lemmaWitnesses ? { lemmaWitnesses: e.lemmaWitnesses } : {}),
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
}

function undeclaredWitness(siglum: string): WitnessRecord {
  return {
    siglum,
    title: siglum,
    publication: "",
    date: "",
    language: "",
    coverage: "partial",
    covers: "",
    description: "used by the imported apparatus but declared in no listWit",
    address: "",
    provenance: "",
    hasText: true,
    coveredBlocks: [],
  };
}

function emptyProvenance(): Provenance {
  return { title: "", publication: "", date: "", address: "", extra: {} };
}

export { MAX_TEI_BYTES, MAX_TEI_DEPTH } from "./limits.ts";
export { formatGroup, type ImportReport, type ReportGroup } from "./report.ts";
