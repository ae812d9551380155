/**
 * The text of a witness's own document (imported, or transcribed) as collation reads it: its blocks
 * joined by blank lines, notes left out. The alignment table and the *witness beside base* view align
 * this, where a witness has one, rather than the text the edition's entries record for it.
 */
import { readBody } from "../schema/readBody.ts";
import { docToPlainBlocks } from "../schema/textdoc.ts";
import type { Documents } from "./documents.ts";
import { witnessDocName } from "./witnesses.ts";

/** The witness's own text; null when it has no document of its own, or an empty one. */
export async function witnessOwnText(
  documents: Documents,
  editionId: string,
  siglum: string,
): Promise<string | null> {
  const text = await documents.with(witnessDocName(editionId, siglum), (doc) => {
    const body = readBody(doc.ydoc);
    return docToPlainBlocks(body)
      .map((b) => b.text)
      .join("\n\n");
  });
  return text?.trim() ? text : null;
}
