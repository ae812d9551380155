/**
 * Where a change to a shared document came from. Every transaction that the server, the CLI or an import
 * makes carries one of these as its Yjs origin, so that a listener can tell a change to store and send
 * from one that came out of the store (and must not be stored again) or from one connection (and must not
 * be echoed back to it).
 */
export type Origin =
  | { readonly kind: "connection"; readonly connectionId: number; readonly user: string | null }
  | { readonly kind: "storage" }
  | { readonly kind: "seed"; readonly editionId: string }
  | { readonly kind: "import"; readonly what: string }
  | { readonly kind: "server"; readonly reason: string; readonly user: string | null }
  /** An OCR draft entering a transcription: which page, read in which language, asked for by whom. */
  | { readonly kind: "ocr"; readonly what: string; readonly user: string | null };

/** The origin of updates read back from the store. */
export const STORAGE_ORIGIN: Origin = Object.freeze({ kind: "storage" });

/** Whether a Yjs transaction origin is one of ours (y-prosemirror and the providers use their own). */
export function isOrigin(value: unknown): value is Origin {
  return (
    typeof value === "object" && value !== null && typeof (value as { kind?: unknown }).kind === "string"
  );
}
