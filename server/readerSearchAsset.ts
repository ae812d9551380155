/**
 * The reading edition's search script as `npm run build` bundles it (`dist/client/reader-search.js`:
 * client/readerSearch.ts with MiniSearch), read once.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SEARCH_SCRIPT_FILE } from "../schema/publish/searchIndex.ts";
import { ROOT } from "./root.ts";

let script: string | null = null;

export function readerSearchScript(): string {
  if (script !== null) return script;
  const file = join(ROOT, "dist/client", SEARCH_SCRIPT_FILE);
  if (!existsSync(file))
    throw new Error(`the reading edition's search script ${file} is not built: run npm run build`);
  script = readFileSync(file, "utf8");
  return script;
}
