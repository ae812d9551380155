/**
 * Seeds the store from the edition folders in `editions/`: an edition the store lacks is built from its
 * folder once; after that it lives in the store and changes only by updates. One its owner deleted is
 * not seeded again (the store remembers what it seeded).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as Y from "yjs";
import { SEEDED_KEY } from "../schema/bibliography/seed.ts";
import { type BuildResult, buildEditionDoc } from "../schema/edition.ts";
import { ROOTS } from "../schema/layout.ts";
import type { Log } from "./log.ts";
import { bibliographyMark } from "./seedBibliography.ts";
import type { AsyncStore } from "./store/asyncStore.ts";

/** Builds the first state of the edition in one folder of `editions/`. */
export function loadEditionFolder(dir: string): BuildResult {
  const manifestPath = join(dir, "edition.json");
  if (!existsSync(manifestPath)) return { ok: false, errors: [`${dir} has no edition.json`] };
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  } catch (error) {
    return { ok: false, errors: [`${manifestPath}: not JSON (${(error as Error).message})`] };
  }
  return buildEditionDoc({
    manifest,
    readFile: (name) => {
      const path = join(dir, name);
      return existsSync(path) ? readFileSync(path, "utf8") : null;
    },
  });
}

/** Seeds every edition folder the store does not have yet; returns the ids it added. */
export async function seedEditions(store: AsyncStore, editionsDir: string, log: Log): Promise<string[]> {
  const added: string[] = [];
  if (!existsSync(editionsDir)) return added;
  for (const entry of readdirSync(editionsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(editionsDir, entry.name);
    const manifestPath = join(dir, "edition.json");
    if (!existsSync(manifestPath)) continue;
    const id = (JSON.parse(readFileSync(manifestPath, "utf8")) as { id?: unknown }).id;
    if (typeof id === "string" && (await store.getEdition(id))) continue;
    if (typeof id === "string" && (await store.wasSeeded(id))) {
      log.info(`edition "${id}" was deleted from this store; it is not seeded again from ${dir}`);
      continue;
    }
    const built = loadEditionFolder(dir);
    if (!built.ok) {
      log.error(`edition folder ${dir} cannot be seeded:\n  ${built.errors.join("\n  ")}`);
      continue;
    }
    try {
      await store.createEdition(
        { id: built.id, title: built.title },
        built.id,
        Y.encodeStateAsUpdate(built.doc),
      );
    } catch (error) {
      // Another server on the same store, starting at the same time, seeded it first.
      if (await store.getEdition(built.id)) continue;
      throw error;
    }
    await store.markSeeded(built.id);
    // Built with its folder's bibliography: no later start needs to load it to see so.
    if (built.doc.getMap(ROOTS.meta).get(SEEDED_KEY)) await store.markSeeded(bibliographyMark(built.id));
    log.info(`seeded edition "${built.id}" from ${dir}`);
    added.push(built.id);
  }
  return added;
}
