/**
 * The bundled CSL styles and locale (`vendor/csl/`), read once at the edge and handed to the pure
 * renderers (`schema/bibliography/render.ts`), which read no file themselves.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CITATION_STYLES,
  type CitationStyleId,
  type CslFiles,
  LOCALE_FILE,
} from "../schema/bibliography/styles.ts";
import { ROOT } from "./root.ts";

let files: CslFiles | null = null;

/** Every bundled style and the en-US locale. */
export function cslFiles(): CslFiles {
  if (files) return files;
  const dir = join(ROOT, "vendor/csl");
  const styles: Partial<Record<CitationStyleId, string>> = {};
  for (const [id, style] of Object.entries(CITATION_STYLES))
    styles[id as CitationStyleId] = readFileSync(join(dir, style.file), "utf8");
  files = { styles, locale: readFileSync(join(dir, LOCALE_FILE), "utf8") };
  return files;
}
