import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const EDITIONS = join(ROOT, "editions");
export const CLIENT = join(ROOT, "dist/client");
/** The published texts the witnesses were copied from (see `sources/README.md`). */
export const SOURCES = join(ROOT, "sources");
/** The ICC's web page of the Manifesto, Part 1 (International Review 142): the base text's source. */
export const ICC_SOURCE = join(SOURCES, "icc-ir142-manifesto-part1.txt");
/** Verbatim excerpts of the other versions (Q, RU), each with its publication. */
export const EXCERPTS = join(SOURCES, "excerpts.txt");
/** The official TEI P5 schema, TEI Consortium 4.3.0 (see `vendor/README.md`). */
export const TEI_ALL_RNG = join(ROOT, "vendor/tei/tei_all.rng");
