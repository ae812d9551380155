/**
 * Content-addressed image files: a file's name is the SHA-256 of its bytes, under a two-letter folder
 * (`<media>/ab/abcd…`), so one image added twice is stored once and a stored file never changes. Both
 * page stores (SQLite's `pageStore.ts`, PostgreSQL's `../store/postgresPages.ts`) keep their bytes so.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The path of the file holding the image of this hash. */
export function mediaFile(mediaDir: string, hash: string): string {
  return join(mediaDir, hash.slice(0, 2), hash);
}

/** Stores `bytes` (if no file holds them yet) and returns their hash, the file's name. */
export function writeMediaFile(mediaDir: string, bytes: Uint8Array): string {
  const hash = createHash("sha256").update(bytes).digest("hex");
  const file = mediaFile(mediaDir, hash);
  if (!existsSync(file)) {
    mkdirSync(join(mediaDir, hash.slice(0, 2)), { recursive: true });
    // Written whole, then renamed: a reader never sees half a file under its final name.
    writeFileSync(`${file}.part`, bytes);
    renameSync(`${file}.part`, file);
  }
  return hash;
}

/** The bytes of a stored image. */
export function readMediaFile(mediaDir: string, hash: string): Uint8Array {
  return new Uint8Array(readFileSync(mediaFile(mediaDir, hash)));
}
