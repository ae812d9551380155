import { join } from "node:path";
import type * as Y from "yjs";
import { loadEditionFolder } from "../../server/seed.ts";
import { EDITIONS } from "./paths.ts";

/** The shipped Manifesto edition, built from editions/manifesto as the server seeds it. */
export function manifestoDoc(): Y.Doc {
  const built = loadEditionFolder(join(EDITIONS, "manifesto"));
  if (!built.ok) throw new Error(built.errors.join("\n"));
  return built.doc;
}
