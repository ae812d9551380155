/**
 * What an uploaded page image is, told by its bytes (never by its name): JPEG, PNG, WebP or TIFF, with
 * its pixel size; or why it is refused — not an image of those kinds, cut short, larger than the caps.
 * Nothing is decoded: the header gives the size, the end marker shows the file is whole.
 */
import { imageSize } from "image-size";

/** The largest page image accepted, in bytes. */
export const MAX_IMAGE_BYTES = 40 * 1024 * 1024;
/** The largest page image accepted, in pixels (a scan of a newspaper page at 600 dpi is about 50 M). */
export const MAX_IMAGE_PIXELS = 120_000_000;

export type ImageKind = "jpeg" | "png" | "webp" | "tiff";

export const MIME: Record<ImageKind, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  tiff: "image/tiff",
};

export type ImageCheck =
  | { ok: true; kind: ImageKind; width: number; height: number }
  | { ok: false; error: string };

function kindOf(b: Uint8Array): ImageKind | null {
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v))
    return "png";
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  if (
    (b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0) ||
    (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 0x2a)
  )
    return "tiff";
  return null;
}

/** Whether the file ends as a whole file of its kind ends (a truncated upload does not). */
function whole(kind: ImageKind, b: Uint8Array): boolean {
  switch (kind) {
    case "jpeg": {
      // The end-of-image marker, allowing a little padding after it.
      for (let i = b.length - 2; i >= Math.max(0, b.length - 64); i--)
        if (b[i] === 0xff && b[i + 1] === 0xd9) return true;
      return false;
    }
    case "png": {
      const tail = String.fromCharCode(...b.subarray(b.length - 8, b.length - 4));
      return tail === "IEND";
    }
    case "webp": {
      const declared = (b[4] ?? 0) | ((b[5] ?? 0) << 8) | ((b[6] ?? 0) << 16) | ((b[7] ?? 0) << 24);
      return declared + 8 <= b.length;
    }
    case "tiff":
      return true; // no end marker; the header and the first directory are read by imageSize
  }
}

/** Checks an upload; `name` only names it in the error. */
export function checkImage(bytes: Uint8Array, name: string): ImageCheck {
  if (bytes.byteLength === 0) return { ok: false, error: `${name} is empty` };
  if (bytes.byteLength > MAX_IMAGE_BYTES)
    return {
      ok: false,
      error: `${name} is ${bytes.byteLength} bytes; a page image has at most ${MAX_IMAGE_BYTES}`,
    };
  const kind = kindOf(bytes);
  if (!kind)
    return {
      ok: false,
      error: `${name} is not a JPEG, PNG, WebP or TIFF image (its first bytes say otherwise)`,
    };
  let size: { width?: number; height?: number };
  try {
    size = imageSize(bytes);
  } catch (error) {
    return {
      ok: false,
      error: `${name} is a damaged ${kind.toUpperCase()} file: ${(error as Error).message}`,
    };
  }
  const width = size.width ?? 0;
  const height = size.height ?? 0;
  if (width < 1 || height < 1) return { ok: false, error: `${name} declares no pixel size` };
  if (width * height > MAX_IMAGE_PIXELS)
    return {
      ok: false,
      error: `${name} declares ${width}×${height} pixels; a page image has at most ${MAX_IMAGE_PIXELS} pixels`,
    };
  if (!whole(kind, bytes))
    return { ok: false, error: `${name} is cut short: the ${kind.toUpperCase()} file does not end` };
  return { ok: true, kind, width, height };
}
