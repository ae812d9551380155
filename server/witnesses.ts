/**
 * Bringing a witness into an edition: importing its text (plain text with a provenance header, or TEI)
 * into a document of its own (`<edition>/witness/<siglum>`, editable collaboratively like the base text),
 * and starting an empty transcription. Collating it with the base text is `collation.ts`.
 */
import type { Node } from "prosemirror-model";
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import * as Y from "yjs";
import { ROOTS, readMeta } from "../schema/layout.ts";
import type { Origin } from "../schema/origin.ts";
import { schema } from "../schema/schema.ts";
import { writeZones } from "../schema/tei/facsimile.ts";
import { importTei } from "../schema/teiImport.ts";
import { witnessTextToDoc } from "../schema/textdoc.ts";
import { parseWitnessText } from "../schema/textformat.ts";
import { getWitness, SIGLUM, setWitness, type WitnessRecord } from "../schema/witnesses.ts";
import type { OpenDocument } from "./document.ts";
import { kindOf } from "./media/iiifManifest.ts";
import type { AsyncStore } from "./store/asyncStore.ts";

export function witnessDocName(editionId: string, siglum: string): string {
  return `${editionId}/witness/${siglum}`;
}

type ImportedFacsimile = NonNullable<Extract<ReturnType<typeof importTei>, { ok: true }>["facsimile"]>;

export type WitnessResult<T> = ({ ok: true } & T) | { ok: false; status: number; error: string };

/** Decodes an uploaded file, refusing one that is empty or not UTF-8. */
export function decodeUpload(bytes: Uint8Array, name: string): WitnessResult<{ text: string }> {
  if (bytes.length === 0) return { ok: false, status: 400, error: `${name} is empty` };
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "") };
  } catch {
    return { ok: false, status: 400, error: `${name} is not UTF-8 text` };
  }
}

/** Imports a witness's text into a new witness document and registers it; refuses a siglum that has text. */
export async function importWitness(
  store: AsyncStore,
  edition: OpenDocument,
  siglum: string,
  text: string,
  fileName: string,
  by: string | null,
): Promise<WitnessResult<{ witness: WitnessRecord; blocks: number }>> {
  if (!SIGLUM.test(siglum)) {
    return {
      ok: false,
      status: 400,
      error: `siglum "${siglum}" must be a capital letter, then up to 15 letters or digits`,
    };
  }
  const editionId = edition.name;
  const meta = readMeta(edition.ydoc);
  const existing = getWitness(edition.ydoc, siglum);
  const docName = witnessDocName(editionId, siglum);
  const taken: WitnessResult<never> = {
    ok: false,
    status: 409,
    error: `witness "${siglum}" is already registered with a text in edition "${editionId}"`,
  };
  if (siglum === meta.baseWitness || existing?.hasText || (await store.hasDocument(docName))) return taken;
  let body: Node;
  // The register's entry, from what the register holds when it is written (the store is awaited before).
  let recordOf: (existing: WitnessRecord | null) => WitnessRecord;
  let facsimile: ImportedFacsimile | undefined;
  if (/^\s*(<\?xml|<TEI)/.test(text)) {
    const imported = importTei(text, editionId);
    if (!imported.ok) return { ok: false, status: 400, error: `${fileName}: ${imported.errors.join("; ")}` };
    facsimile = imported.facsimile;
    const held = (await store.pages.list(editionId, siglum)).length;
    // The file's zones and page breaks count its own pages from 1: they cannot follow pages held already.
    if (facsimile && facsimile.pages.length > 0 && held > 0)
      return {
        ok: false,
        status: 409,
        error: `${fileName} brings ${facsimile.pages.length} page images of its own, and witness "${siglum}" already has ${held}: import it under a siglum without pages`,
      };
    body = yXmlFragmentToProseMirrorRootNode(imported.doc.getXmlFragment(ROOTS.body), schema);
    const p = readMeta(imported.doc).provenance;
    // A witness's own TEI (schema/tei/transcription.ts) cites it in its listWit, as the file's base.
    const cited = p ? null : getWitness(imported.doc, readMeta(imported.doc).baseWitness);
    const notRepresented = imported.report.notRepresented;
    recordOf = (existing) => ({
      ...(existing ?? { description: "", covers: "", coveredBlocks: [] }),
      siglum,
      title: imported.title,
      publication: p?.publication ?? (cited?.publication || existing?.publication) ?? "",
      date: p?.date ?? (cited?.date || existing?.date) ?? "",
      language: existing?.language || cited?.language || "",
      coverage: existing?.coverage ?? "partial",
      address: p?.address ?? (cited?.address || existing?.address) ?? "",
      provenance: `imported from ${fileName} (TEI)${notRepresented.length ? `; not represented: ${notRepresented.join("; ")}` : ""}`,
      hasText: true,
      covers: existing?.covers ?? "",
      description: existing?.description ?? "",
      coveredBlocks: [],
    });
  } else {
    const parsed = parseWitnessText(text);
    if (!parsed.ok) {
      return {
        ok: false,
        status: 400,
        error: `${fileName}: ${parsed.errors.map((e) => `line ${e.line}: ${e.message}`).join("; ")}`,
      };
    }
    body = witnessTextToDoc(parsed.value, siglum);
    const p = parsed.value.provenance;
    recordOf = (existing) => ({
      siglum,
      title: p.title,
      publication: p.publication,
      date: p.date,
      language: p.extra.language ?? existing?.language ?? "",
      coverage: existing?.coverage ?? (p.extra.coverage === "full" ? "full" : "partial"),
      covers: p.extra.covers ?? existing?.covers ?? "",
      description: p.extra.description ?? existing?.description ?? "",
      address: p.address,
      provenance: [`imported from ${fileName}`, p.extra.source, p.extra.note].filter(Boolean).join("; "),
      hasText: true,
      coveredBlocks: [],
    });
  }
  const seed = new Y.Doc();
  const origin: Origin = { kind: "import", what: `witness ${siglum} from ${fileName}` };
  seed.transact(() => {
    seed.getMap(ROOTS.meta).set("witnessOf", editionId);
    seed.getMap(ROOTS.meta).set("siglum", siglum);
    updateYFragment(seed, seed.getXmlFragment(ROOTS.body), body, { mapping: new Map(), isOMark: new Map() });
    // A TEI facsimile's zones, over the same words; its pages as references to their images.
    if (facsimile) writeZones(seed, facsimile.zones);
  }, origin);
  // Another import of this siglum may have created the document since it was looked for: that one wins.
  if (!(await store.createDocument(docName, Y.encodeStateAsUpdate(seed)))) return taken;
  if (facsimile && facsimile.pages.length > 0)
    await store.pages.addExternal(
      facsimile.pages.map((p) => ({
        editionId,
        siglum,
        label: p.label,
        url: p.url,
        service: null,
        source: fileName,
        kind: kindOf(null, p.url),
        width: p.width,
        height: p.height,
        addedBy: by,
      })),
    );
  let record = recordOf(existing);
  await edition.transact({ kind: "server", reason: `register witness ${siglum}`, user: by }, (doc) => {
    record = recordOf(getWitness(doc, siglum));
    setWitness(doc, record);
  });
  return { ok: true, witness: record, blocks: body.childCount };
}

/** Starts an empty transcription document for a registered witness (the Dreadnought, from scans). */
export async function startTranscription(
  store: AsyncStore,
  edition: OpenDocument,
  siglum: string,
  by: string | null,
): Promise<WitnessResult<{ doc: string }>> {
  const witness = getWitness(edition.ydoc, siglum);
  if (!witness)
    return { ok: false, status: 404, error: `unknown witness "${siglum}" in edition "${edition.name}"` };
  const docName = witnessDocName(edition.name, siglum);
  if (!(await store.hasDocument(docName))) {
    const seed = new Y.Doc();
    seed.transact(
      () => {
        seed.getMap(ROOTS.meta).set("witnessOf", edition.name);
        seed.getMap(ROOTS.meta).set("siglum", siglum);
        const p = new Y.XmlElement("paragraph");
        seed.getXmlFragment(ROOTS.body).insert(0, [p]);
      },
      { kind: "server", reason: `start transcription of ${siglum}`, user: by } satisfies Origin,
    );
    // Created meanwhile by another request: that one registers it.
    if (await store.createDocument(docName, Y.encodeStateAsUpdate(seed)))
      await edition.transact({ kind: "server", reason: `transcription of ${siglum}`, user: by }, (doc) =>
        // The register's entry as it is now, not as it was before the store was awaited.
        setWitness(doc, { ...(getWitness(doc, siglum) ?? witness), hasText: true }),
      );
  }
  return { ok: true, doc: docName };
}
