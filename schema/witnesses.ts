/**
 * The witness register: every version of the text the edition knows, by siglum, with its description and
 * provenance. Stored in `Y.Map("witnesses")`: siglum → Y.Map of the fields below (each a plain value:
 * two people rarely edit one witness's date at once, and last-writer-wins is acceptable there).
 */
import * as Y from "yjs";
import * as z from "zod/mini";
import { ROOTS } from "./layout.ts";
import "./validation.ts";

/** The siglum of a witness an editor adds: a capital letter, then up to 15 letters or digits. */
export const SIGLUM = /^[A-Z][A-Za-z0-9]{0,15}$/;
/**
 * The sigla a register holds: those of imported editions too (`wit1`, `σ`, `Ϛ`, `MS_A`), XML names that
 * are safe as `xml:id`s, Yjs keys, document names and URL segments: a letter or `_`, then up to 31
 * letters, digits, `_`, `.` or `-` (no `:`, no spaces, no `/`).
 */
export const IMPORTED_SIGLUM = /^[\p{L}_][\p{L}\p{M}\p{N}_.-]{0,31}$/u;

export const WitnessRecord = z.object({
  siglum: z
    .string()
    .check(
      z.regex(IMPORTED_SIGLUM, "a siglum starts with a letter or _, then up to 31 letters, digits, _ . or -"),
    ),
  title: z.string().check(z.minLength(1)),
  publication: z._default(z.string(), ""),
  date: z._default(z.string(), ""),
  language: z._default(z.string(), ""),
  /** `full`: the witness runs through the whole text; `partial`: only the stretches it is known for. */
  coverage: z._default(z.enum(["full", "partial"]), "full"),
  /** What part of the text it covers, in words. */
  covers: z._default(z.string(), ""),
  description: z._default(z.string(), ""),
  /** Where the text can be found. */
  address: z._default(z.string(), ""),
  /** How we obtained it, and what is uncertain about it. */
  provenance: z._default(z.string(), ""),
  /** Whether the edition holds any of its text (WD has none until an editor transcribes it). */
  hasText: z._default(z.boolean(), false),
  /** For a partial witness: ids of the base text's blocks it covers whole (beyond its readings' lemmas). */
  coveredBlocks: z._default(z.array(z.string()), []),
  /**
   * `source`: not a witness of the text but a source of readings (an editor's conjecture, TEI's
   * `rdg/@source`); its readings are kept under its id, and the TEI export writes them with `@source`.
   */
  kind: z.optional(z.enum(["witness", "source"])),
});
export type WitnessRecord = z.infer<typeof WitnessRecord>;

const FIELDS = Object.keys(WitnessRecord.shape) as (keyof WitnessRecord)[];

/** Adds or replaces a witness in the register. */
export function setWitness(ydoc: Y.Doc, record: WitnessRecord): void {
  const register = ydoc.getMap<Y.Map<unknown>>(ROOTS.witnesses);
  const entry = register.get(record.siglum) ?? new Y.Map<unknown>();
  if (!entry.parent) register.set(record.siglum, entry);
  for (const key of FIELDS) {
    const value = record[key];
    if (JSON.stringify(entry.get(key)) !== JSON.stringify(value))
      entry.set(key, Array.isArray(value) ? [...value] : value);
  }
}

/** Every witness in the register, the base witness first, then by siglum. */
export function listWitnesses(ydoc: Y.Doc): WitnessRecord[] {
  const base = String(ydoc.getMap(ROOTS.meta).get("baseWitness") ?? "");
  const register = ydoc.getMap<Y.Map<unknown>>(ROOTS.witnesses);
  const out: WitnessRecord[] = [];
  for (const [siglum, entry] of register) {
    const parsed = WitnessRecord.safeParse({ ...entry.toJSON(), siglum });
    if (parsed.success) out.push(parsed.data);
  }
  return out.sort((a, b) =>
    a.siglum === base ? -1 : b.siglum === base ? 1 : a.siglum.localeCompare(b.siglum),
  );
}

export function getWitness(ydoc: Y.Doc, siglum: string): WitnessRecord | null {
  return listWitnesses(ydoc).find((w) => w.siglum === siglum) ?? null;
}
