/**
 * The repository's root folder, where `editions/`, `client/`, `vendor/` and `dist/` live. Found by walking
 * up from this module to Variorum's package.json, so it is the same whether the server runs from its
 * sources (`server/*.ts`) or from the bundle that `npm run build` writes (`dist/server/main.mjs`).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown };
      if (name === "variorum") return dir;
    }
    if (dirname(dir) === dir) throw new Error(`no package.json named "variorum" above ${from}`);
  }
}

/** The repository's root folder. */
export const ROOT: string = findRoot(dirname(fileURLToPath(import.meta.url)));
