/**
 * What a TEI import refuses before it reads anything: files over a size, bytes that are not UTF-8, a
 * declared encoding other than UTF-8, DTDs and entities, and nesting deeper than a limit. Each refusal
 * names the limit, so that a person knows what to change.
 */

/** The largest TEI file an import accepts, in bytes (CLI and HTTP). */
export const MAX_TEI_BYTES = 10 * 1024 * 1024; // the HTTP upload limit too ("10mb")
/** The deepest nesting of elements an import accepts (real editions stay far below: ~40). */
export const MAX_TEI_DEPTH = 250;

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;

/** Refuses a file over MAX_TEI_BYTES; null if it fits. */
export function sizeError(bytes: number): string | null {
  return bytes > MAX_TEI_BYTES
    ? `the file has ${bytes} bytes; a TEI import takes at most ${MAX_TEI_BYTES} bytes (${mib(MAX_TEI_BYTES)})`
    : null;
}

/** Decodes a file as UTF-8, refusing any byte sequence that is not (never replacing it by U+FFFD). */
export function decodeUtf8(bytes: Uint8Array): { ok: true; text: string } | { ok: false; error: string } {
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, text };
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = lineAtByte(bytes, at);
    return {
      ok: false,
      error: `the file is not valid UTF-8: the bytes at offset ${at} (line ${line}) are not a UTF-8 character; TEI files are imported in UTF-8 only (convert it, e.g. with iconv)`,
    };
  }
}

function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    const need =
      c < 0x80
        ? 0
        : c >= 0xc2 && c <= 0xdf
          ? 1
          : c >= 0xe0 && c <= 0xef
            ? 2
            : c >= 0xf0 && c <= 0xf4
              ? 3
              : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return i;
}

function lineAtByte(b: Uint8Array, at: number): number {
  let line = 1;
  for (let i = 0; i < at && i < b.length; i++) if (b[i] === 10) line++;
  return line;
}

/** Refuses what this import does not read: an encoding other than UTF-8, a DOCTYPE, entity declarations. */
export function prologError(xml: string): string | null {
  const decl = /^\uFEFF?<\?xml[^?]*encoding\s*=\s*["']([^"']+)["']/.exec(xml);
  if (decl && !/^utf-?8$/i.test(decl[1] as string)) {
    return `the file declares encoding "${decl[1]}"; a TEI import reads UTF-8 only (convert the file and its declaration)`;
  }
  const doctype = /<!DOCTYPE|<!ENTITY/.exec(xml);
  if (doctype) {
    const line = xml.slice(0, doctype.index).split("\n").length;
    return `DTDs and entities are not supported: line ${line} has ${doctype[0]}; remove it and write each entity as the character it stands for`;
  }
  return null;
}

/**
 * Refuses nesting deeper than MAX_TEI_DEPTH, by scanning the tags (no recursion, before parsing, so that
 * a 100,000-deep file is refused at once rather than after building its tree).
 */
export function depthError(xml: string): string | null {
  const tag =
    /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<(\/?)[^\s/>!?]+(?:[^>"']|"[^"]*"|'[^']*')*?(\/?)>/g;
  let depth = 0;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    if (m[1] === undefined) continue;
    if (m[1] === "/") depth--;
    else if (m[2] !== "/") {
      depth++;
      if (depth > MAX_TEI_DEPTH) {
        const line = xml.slice(0, m.index).split("\n").length;
        return `elements are nested more than ${MAX_TEI_DEPTH} deep (line ${line}); a TEI import takes at most ${MAX_TEI_DEPTH} levels`;
      }
    }
  }
  return null;
}
