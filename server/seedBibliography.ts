/**
 * The bibliography for an edition seeded before there was one: at start, an edition folder's
 * `bibliography.json` and `citations.json` are written once into the stored edition that lacks them
 * (an update of its own, stored like any other), citing only the glossary entries, witnesses and
 * apparatus entries it still has. `meta.bibliographySeeded` records that it was done, so that entries
 * an editor deletes later are never brought back; the store's list of what it seeded records it too
 * (`bibliographyMark`), so that a start does not load every edition again to find it out.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as Y from "yjs";
import { readSeedBibliography, SEEDED_KEY, writeSeedBibliography } from "../schema/bibliography/seed.ts";
import { ROOTS } from "../schema/layout.ts";
import { STORAGE_ORIGIN } from "../schema/origin.ts";
import type { Log } from "./log.ts";
import type { AsyncStore } from "./store/asyncStore.ts";

/**
 * The name under which the store's list of seeded things (`markSeeded`) records that edition `id` has
 * its folder's bibliography, or had one before. An edition id cannot hold a colon: no edition is named so.
 */
export function bibliographyMark(id: string): string {
  return `bibliography:${id}`;
}

/** Adds the folders' bibliographies to stored editions that lack them; returns the edition ids changed. */
export async function seedBibliographies(
  store: AsyncStore,
  editionsDir: string,
  log: Log,
): Promise<string[]> {
  const changed: string[] = [];
  if (!existsSync(editionsDir)) return changed;
  for (const entry of readdirSync(editionsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(editionsDir, entry.name);
    const manifestPath = join(dir, "edition.json");
    if (!existsSync(manifestPath)) continue;
    let manifest: { id?: unknown; bibliography?: unknown; citations?: unknown };
    try {
      manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    } catch {
      continue; // seedEditions reports an unreadable manifest
    }
    const id = manifest.id;
    if (typeof id !== "string" || typeof manifest.bibliography !== "string" || !(await store.getEdition(id)))
      continue;
    if (await store.wasSeeded(bibliographyMark(id))) continue;
    if (!(await store.hasDocument(id))) continue;
    // Under the document's lock: two servers starting on one store at once add the bibliography once.
    const added = await store.withDocumentLock(id, () =>
      addBibliography(
        store,
        dir,
        id,
        { bibliography: manifest.bibliography, citations: manifest.citations },
        log,
      ),
    );
    if (added === null)
      log.info(`edition "${id}" is locked by another server; its bibliography is left to it`);
    // A broken file is not marked: once mended, it is added at the next start.
    if (added === "added" || added === "present") await store.markSeeded(bibliographyMark(id));
    if (added === "added") changed.push(id);
  }
  return changed;
}

/**
 * Adds the bibliography of the folder `dir` to the stored edition `id` unless it has one: `added`,
 * `present` (it had one, or had one seeded before), or `broken` (the folder's files are not readable).
 */
async function addBibliography(
  store: AsyncStore,
  dir: string,
  id: string,
  files: { bibliography: unknown; citations: unknown },
  log: Log,
): Promise<"added" | "present" | "broken"> {
  const doc = new Y.Doc();
  for (const update of (await store.load(id)).updates) Y.applyUpdate(doc, update, STORAGE_ORIGIN);
  const meta = doc.getMap(ROOTS.meta);
  if (meta.get(SEEDED_KEY) || doc.getMap(ROOTS.bibliography).size > 0) return "present";
  const file = (name: unknown): [string, string | null] | null => {
    if (typeof name !== "string") return null;
    const path = join(dir, name);
    return [name, existsSync(path) ? readFileSync(path, "utf8") : null];
  };
  const errors: string[] = [];
  const seed = readSeedBibliography(
    { bibliography: file(files.bibliography), citations: file(files.citations) },
    {
      glossary: new Set(doc.getMap(ROOTS.glossary).keys()),
      witness: new Set(doc.getMap(ROOTS.witnesses).keys()),
      apparatus: new Set(doc.getMap(ROOTS.apparatus).keys()),
    },
    errors,
  );
  // A citation of something deleted since is left out, said so; a broken file adds nothing.
  const broken = errors.filter((e) => !/: unknown (glossary|witness|apparatus) "/.test(e));
  if (broken.length > 0) {
    log.error(`bibliography of ${dir} not added to edition "${id}":\n  ${broken.join("\n  ")}`);
    return "broken";
  }
  for (const e of errors) log.info(`edition "${id}": ${e} (left out)`);
  const before = Y.encodeStateVector(doc);
  doc.transact(() => writeSeedBibliography(doc, seed), { kind: "seed", editionId: id });
  await store.append(id, Y.encodeStateAsUpdate(doc, before), null);
  log.info(`added the bibliography of ${dir} to edition "${id}" (${seed.items.length} entries)`);
  return "added";
}
