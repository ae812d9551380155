import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const SHARED = join(ROOT, "../shared");
export const EDITIONS = join(ROOT, "editions");
export const CLIENT = join(ROOT, "dist/client");
