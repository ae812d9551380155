/**
 * A new edition's first document, from an uploaded file: a UTF-8 text with a provenance header (the
 * witness text format of `schema/textformat.ts`, built as the seeding of `editions/` builds one), or a TEI
 * file (`schema/teiImport.ts`, as `npx variorum import tei`). Building is the same for a preview and for
 * the confirmed creation, so what the preview lists is what the creation does.
 */
import type * as Y from "yjs";
import { buildEditionDoc } from "../../schema/edition.ts";
import { ROOTS } from "../../schema/layout.ts";
import { importTei } from "../../schema/teiImport.ts";
import { parseWitnessText } from "../../schema/textformat.ts";
import { SIGLUM } from "../../schema/witnesses.ts";

export const EDITION_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export type SourceFormat = "text" | "tei";

export interface NewEditionRequest {
  id: string;
  format: SourceFormat;
  /** The file's text, already decoded as UTF-8. */
  source: string;
  fileName: string;
  /** The edition's title; by default the text's `Title:` or the TEI's title. */
  title?: string;
  /** The base witness's siglum, for a text (a TEI file names its own). */
  siglum?: string;
}

/** What a preview shows and a creation reports. */
export interface NewEditionSummary {
  id: string;
  format: SourceFormat;
  title: string;
  baseWitness: string;
  /** Blocks (headings, paragraphs, lists, notes between paragraphs) of the base text. */
  blocks: number;
  /** What a TEI import converted or dropped, one line per kind with counts and first lines: listed before anyone confirms. */
  notRepresented: string[];
}

export type BuiltEdition =
  | { ok: true; doc: Y.Doc; summary: NewEditionSummary }
  | { ok: false; error: string; details: string[] };

/** Builds (without storing) the first document of a new edition. */
export function buildNewEdition(req: NewEditionRequest): BuiltEdition {
  if (!EDITION_ID.test(req.id)) {
    return {
      ok: false,
      error: `edition id "${req.id}" must be 1 to 64 lower-case letters, digits and dashes, starting with a letter or digit`,
      details: [],
    };
  }
  const title = req.title?.trim() ?? "";
  if (title.length > 200) return { ok: false, error: "a title has at most 200 characters", details: [] };
  return req.format === "tei" ? fromTei(req, title) : fromText(req, title);
}

function fromText(req: NewEditionRequest, title: string): BuiltEdition {
  const siglum = req.siglum?.trim() || "BASE";
  if (!SIGLUM.test(siglum)) {
    return {
      ok: false,
      error: `siglum "${siglum}" must be a capital letter, then up to 15 letters or digits`,
      details: [],
    };
  }
  const parsed = parseWitnessText(req.source);
  if (!parsed.ok) {
    return {
      ok: false,
      error: `${req.fileName} is not a text with a provenance header (Title:, Publication:, Date:, Address:, then ---)`,
      details: parsed.errors.map((e) => `line ${e.line}: ${e.message}`),
    };
  }
  const { provenance, blocks } = parsed.value;
  const register = [
    {
      siglum,
      title: provenance.title,
      publication: provenance.publication,
      date: provenance.date,
      address: provenance.address,
      language: provenance.extra.language ?? "",
      description: "The base text.",
      hasText: true,
    },
  ];
  const files: Record<string, string> = {
    "base.txt": req.source,
    "witnesses.json": JSON.stringify(register),
  };
  const built = buildEditionDoc({
    manifest: {
      id: req.id,
      title: title || provenance.title,
      baseWitness: siglum,
      baseText: "base.txt",
      witnesses: "witnesses.json",
    },
    readFile: (name) => files[name] ?? null,
  });
  if (!built.ok) {
    return {
      ok: false,
      error: `${req.fileName} cannot become an edition`,
      details: built.errors.map((e) => e.replace(/^base\.txt/, req.fileName)),
    };
  }
  return {
    ok: true,
    doc: built.doc,
    summary: {
      id: req.id,
      format: "text",
      title: built.title,
      baseWitness: siglum,
      blocks: blocks.length,
      notRepresented: [],
    },
  };
}

function fromTei(req: NewEditionRequest, title: string): BuiltEdition {
  const result = importTei(req.source, req.id);
  if (!result.ok) {
    return { ok: false, error: `${req.fileName} cannot be imported as TEI`, details: result.errors };
  }
  const meta = result.doc.getMap(ROOTS.meta);
  // A title typed in the form replaces the file's own, in the same first state.
  if (title)
    result.doc.transact(() => meta.set("title", title), { kind: "import", what: `TEI for ${req.id}` });
  return {
    ok: true,
    doc: result.doc,
    summary: {
      id: req.id,
      format: "tei",
      title: title || result.title,
      baseWitness: String(meta.get("baseWitness") ?? ""),
      blocks: result.doc.getXmlFragment(ROOTS.body).length,
      notRepresented: result.report.notRepresented,
    },
  };
}
