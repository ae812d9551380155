/**
 * The citation styles an edition may choose (CSL files bundled in `vendor/csl/`), and where the choice
 * is kept: `meta.citationStyle`. The files are read at the edges (server, command line) and handed in:
 * this folder reads no file.
 */
import type * as Y from "yjs";
import { ROOTS } from "../layout.ts";

export const CITATION_STYLES = {
  "chicago-notes-bibliography": {
    label: "Chicago notes and bibliography (18th ed.)",
    file: "chicago-notes-bibliography.csl",
  },
  apa: { label: "APA (7th ed.), author-date", file: "apa.csl" },
} as const;
export type CitationStyleId = keyof typeof CITATION_STYLES;
export const DEFAULT_STYLE: CitationStyleId = "chicago-notes-bibliography";
/** The locale file every style is rendered with. */
export const LOCALE_FILE = "locales-en-US.xml";

/** The CSL texts a renderer needs: each style by id, and the en-US locale. */
export interface CslFiles {
  styles: Partial<Record<CitationStyleId, string>>;
  locale: string;
}

export function isCitationStyle(id: unknown): id is CitationStyleId {
  return typeof id === "string" && Object.hasOwn(CITATION_STYLES, id);
}

/** The edition's citation style (Chicago when none is chosen). */
export function editionStyle(ydoc: Y.Doc): CitationStyleId {
  const chosen = ydoc.getMap(ROOTS.meta).get("citationStyle");
  return isCitationStyle(chosen) ? chosen : DEFAULT_STYLE;
}

/** Chooses the edition's citation style. */
export function setEditionStyle(ydoc: Y.Doc, style: string): void {
  if (!isCitationStyle(style))
    throw new RangeError(
      `unknown citation style "${style}": one of ${Object.keys(CITATION_STYLES).join(", ")}`,
    );
  ydoc.getMap(ROOTS.meta).set("citationStyle", style);
}
