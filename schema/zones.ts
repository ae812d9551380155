/**
 * Zones: rectangles on a witness's page images (a line, a column, a headline), each tied to the words of
 * the transcription it holds. Kept in the transcription document's `Y.Map("zones")`, one plain value per
 * zone (a zone is drawn by one person; two people drawing two zones touch two keys). The rectangle is in
 * fractions of the image's width and height, so it does not depend on the size the image is shown at;
 * the words are Yjs relative positions, so they follow the text as it is edited.
 */
import type * as Y from "yjs";
import { decodeRelative } from "./comments.ts";
import { ROOTS } from "./layout.ts";

/** A zone's place: its page and its rectangle in fractions of the image's width and height. */
export interface ZoneRect {
  id: string;
  /** The page (1 = the witness's first page image). */
  page: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Zone extends ZoneRect {
  /** Encoded relative positions of the first and after the last word it holds (see comments.ts). */
  start: string;
  end: string;
  by: string | null;
  at: number;
}

/** Whether `text` is an encoded relative position. */
function decodes(text: string): boolean {
  try {
    decodeRelative(text);
    return true;
  } catch {
    return false;
  }
}

const inUnit = (v: unknown): v is number => typeof v === "number" && v >= 0 && v <= 1;

/** A zone read back, or null if the stored value is not one (a newer client's, a damaged one). */
export function parseZone(id: string, value: unknown): Zone | null {
  if (!value || typeof value !== "object") return null;
  const z = value as Record<string, unknown>;
  if (!Number.isInteger(z.page) || (z.page as number) < 1) return null;
  if (![z.x, z.y, z.w, z.h].every(inUnit)) return null;
  if (typeof z.start !== "string" || typeof z.end !== "string") return null;
  // Positions that do not decode (any client may write the map) make no zone, rather than an error in
  // every export and page that reads the zones.
  if (!decodes(z.start) || !decodes(z.end)) return null;
  return {
    id,
    page: z.page as number,
    x: z.x as number,
    y: z.y as number,
    w: z.w as number,
    h: z.h as number,
    start: z.start,
    end: z.end,
    by: typeof z.by === "string" ? z.by : null,
    at: typeof z.at === "number" ? z.at : 0,
  };
}

export function newZoneId(): string {
  return `zone-${Math.random().toString(36).slice(2, 10)}`;
}

/** Adds a zone; the rectangle is clamped to the image. */
export function addZone(ydoc: Y.Doc, zone: Omit<Zone, "id">, id = newZoneId()): string {
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const x = clamp(zone.x);
  const y = clamp(zone.y);
  ydoc.getMap(ROOTS.zones).set(id, {
    ...zone,
    x,
    y,
    w: Math.min(clamp(zone.w), 1 - x),
    h: Math.min(clamp(zone.h), 1 - y),
  });
  return id;
}

export function removeZone(ydoc: Y.Doc, id: string): void {
  ydoc.getMap(ROOTS.zones).delete(id);
}

/** Every zone, by page and then from the top. */
export function listZones(ydoc: Y.Doc): Zone[] {
  const out: Zone[] = [];
  for (const [id, value] of ydoc.getMap(ROOTS.zones)) {
    const z = parseZone(id, value);
    if (z) out.push(z);
  }
  return out.sort((a, b) => a.page - b.page || a.y - b.y || a.x - b.x);
}
