/**
 * A witness's transcription as a TEI document of its own: its text, its zones and page images
 * (`facsimile.ts`), titled and described by the edition's register (the witness is cited as the
 * publication it is, and is the file's base text). Pure: it reads copies.
 */
import type * as Y from "yjs";
import { copyDoc, ROOTS, readMeta } from "../layout.ts";
import { exportTei, type Revision, type TeiExport } from "../tei.ts";
import { getWitness, setWitness } from "../witnesses.ts";
import type { FacsimilePage } from "./facsimile.ts";

/** The TEI of witness `siglum`'s transcription `transcription`, registered in `edition`, with its pages. */
export function transcriptionTei(
  edition: Y.Doc,
  transcription: Y.Doc,
  siglum: string,
  pages: FacsimilePage[],
  revisions: Revision[] = [],
): TeiExport | { error: string } {
  const witness = getWitness(edition, siglum);
  const editionId = readMeta(edition).id;
  if (!witness) return { error: `unknown witness "${siglum}" in edition "${editionId}"` };
  const doc = copyDoc(transcription);
  const meta = doc.getMap(ROOTS.meta);
  doc.transact(() => {
    meta.set("id", `${editionId}-${siglum}`);
    meta.set("title", witness.title);
    meta.set("baseWitness", siglum);
    // The witness's citation is its entry in the register (listWit), not a base-text bibl.
    meta.delete("provenance");
    // The register of this file is the witness alone; its text is this one, whole.
    doc.getMap(ROOTS.witnesses).clear();
    setWitness(doc, { ...witness, coverage: "full", hasText: true, coveredBlocks: [] });
  });
  return exportTei(doc, revisions, { siglum, pages });
}
