/**
 * Cleaning a page image before OCR, as a scan needs: straightened (the skew measured, then rotated
 * back), enlarged when its letters are small, denoised (a median filter takes out speckle), its
 * contrast stretched and binarised. ImageMagick does the work; `toOriginal` maps a box found on the
 * cleaned image back onto the page image as stored, where zones are drawn.
 */
import type { Box } from "../../schema/ocrResult.ts";
import { runProgram } from "./programs.ts";

/** What cleaning did to the page: turned by `angle` degrees (clockwise), then enlarged by `scale`. */
export interface CleanTransform {
  angle: number;
  scale: number;
  /** The page image's size as stored. */
  width: number;
  height: number;
}

// A page narrower than this is read at twice its size: Tesseract reads best with capitals ~30 px high.
const SMALL_PAGE = 2000;

/** Writes the cleaned page to `output` (PNG); `size` is the stored image's (from its upload check). */
export async function cleanImage(
  input: string,
  output: string,
  size: { width: number; height: number },
): Promise<CleanTransform> {
  const measured = await runProgram("convert", [
    input,
    "-colorspace",
    "Gray",
    "-deskew",
    "40%",
    "-format",
    "%[deskew:angle]",
    "info:",
  ]);
  const skew = Number.parseFloat(measured.stdout.toString("utf8"));
  // Beyond a few degrees the measure is more likely a picture or a ruled border than the text's skew.
  const angle = Number.isFinite(skew) && Math.abs(skew) <= 5 ? skew : 0;
  const scale = size.width < SMALL_PAGE ? 2 : 1;
  await runProgram("convert", [
    input,
    "-colorspace",
    "Gray",
    "-background",
    "white",
    "-rotate",
    String(angle),
    "-resize",
    `${scale * 100}%`,
    // A 3×3 median takes out speckle and keeps the strokes (on the enlarged page a letter's stroke is
    // wider than the window); ImageMagick's -despeckle left more specks read as punctuation.
    "-statistic",
    "Median",
    "3x3",
    "-normalize",
    "-threshold",
    "50%",
    `png:${output}`,
  ]);
  return { angle, scale, width: size.width, height: size.height };
}

/**
 * A box on the cleaned image (of `cleaned` size) as the smallest box on the stored page image that
 * holds it: scaled back, then turned back about the centre (rotation grows the canvas around it).
 */
export function toOriginal(box: Box, t: CleanTransform, cleaned: { width: number; height: number }): Box {
  const rad = (t.angle * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const cx = cleaned.width / t.scale / 2;
  const cy = cleaned.height / t.scale / 2;
  const corners = [
    [box.x, box.y],
    [box.x + box.w, box.y],
    [box.x, box.y + box.h],
    [box.x + box.w, box.y + box.h],
  ].map(([x, y]) => {
    const dx = (x as number) / t.scale - cx;
    const dy = (y as number) / t.scale - cy;
    // The inverse of a clockwise turn by `angle` (image coordinates: y grows downwards).
    return [dx * cos + dy * sin + t.width / 2, -dx * sin + dy * cos + t.height / 2] as const;
  });
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const x0 = Math.max(0, Math.min(...xs));
  const y0 = Math.max(0, Math.min(...ys));
  const x1 = Math.min(t.width, Math.max(...xs));
  const y1 = Math.min(t.height, Math.max(...ys));
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}
