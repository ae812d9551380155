import { readFileSync } from "node:fs";
import { join } from "node:path";
import type * as Y from "yjs";
import { buildEditionDoc } from "../../schema/edition.ts";
import { EDITIONS } from "./paths.ts";

/** The shipped Manifesto edition, built from editions/manifesto as the server seeds it. */
export function manifestoDoc(): Y.Doc {
  const dir = join(EDITIONS, "manifesto");
  const built = buildEditionDoc({
    manifest: JSON.parse(readFileSync(join(dir, "edition.json"), "utf8")),
    readFile: (name) => readFileSync(join(dir, name), "utf8"),
  });
  if (!built.ok) throw new Error(built.errors.join("\n"));
  return built.doc;
}
