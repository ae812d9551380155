/**
 * Reading Redis Stream replies (RESP2, blob strings as Buffers) into what the bus needs: entries by
 * stream, their fields, and the order of stream IDs.
 */
import type { Log } from "../log.ts";
import type { BusMessage } from "./bus.ts";

/** One stream entry: its ID and its fields (values kept as bytes). */
export interface Entry {
  id: string;
  fields: Map<string, Buffer>;
}

function text(v: unknown): string {
  return Buffer.isBuffer(v) ? v.toString("utf8") : String(v);
}

/** The entries of an XREAD reply, stream by stream (nothing when it timed out). */
export function entries(reply: unknown): Array<[string, Entry[]]> {
  if (!Array.isArray(reply)) return [];
  const out: Array<[string, Entry[]]> = [];
  for (const stream of reply) {
    if (!Array.isArray(stream) || !Array.isArray(stream[1])) continue;
    const batch: Entry[] = [];
    for (const entry of stream[1] as unknown[]) {
      if (!Array.isArray(entry) || !Array.isArray(entry[1])) continue;
      const flat = entry[1] as unknown[];
      const fields = new Map<string, Buffer>();
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const v = flat[i + 1];
        fields.set(text(flat[i]), Buffer.isBuffer(v) ? v : Buffer.from(String(v)));
      }
      batch.push({ id: text(entry[0]), fields });
    }
    out.push([text(stream[0]), batch]);
  }
  return out;
}

/** The bus message an entry carries, or null (logged) when the entry is not one. */
export function fieldsOf(fields: Map<string, Buffer>, key: string, id: string, log: Log): BusMessage | null {
  const kind = fields.get("kind")?.toString();
  const data = fields.get("data");
  const bytes = data ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
  if (kind === "update" && bytes) {
    const seq = Number(fields.get("seq")?.toString());
    if (Number.isSafeInteger(seq)) return { kind, seq, data: bytes };
  } else if (kind === "awareness" && bytes) {
    return { kind, data: bytes };
  }
  log.warn(`Redis bus: entry ${id} of stream ${key} is not a bus message (kind "${kind}"); skipped`);
  return null;
}

/** One field of an XINFO reply (a flat name, value list); undefined when absent. */
function infoValue(reply: unknown, name: string): unknown {
  if (!Array.isArray(reply)) return undefined;
  for (let i = 0; i + 1 < reply.length; i += 2) if (text(reply[i]) === name) return reply[i + 1];
  return undefined;
}

/**
 * Whether a reader at `last` has lost entries to trimming, from the stream's XINFO STREAM reply. Entries
 * leave a stream only by trimming, oldest first, so nothing after `last` is gone while the oldest entry
 * left is at or before `last`. ("0-0" is a reader that started on an empty stream: everything since was
 * added after it, so it lost entries exactly when fewer are left than were added.) When the reply cannot
 * tell, the answer is yes: a needless catch-up costs a read, a missed one loses edits.
 */
export function trimmedPast(info: unknown, last: string): boolean {
  if (last === "0-0") {
    const added = Number(text(infoValue(info, "entries-added")));
    const length = Number(text(infoValue(info, "length")));
    return !(Number.isFinite(added) && Number.isFinite(length)) || added > length;
  }
  const first = infoValue(info, "first-entry");
  if (!Array.isArray(first)) return true;
  return compareIds(text(first[0]), last) > 0;
}

/** Orders two stream IDs (`<ms>-<seq>`): negative, zero or positive. */
export function compareIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split("-").map((p) => BigInt(p));
  const [bm = 0n, bs = 0n] = b.split("-").map((p) => BigInt(p));
  if (am !== bm) return am < bm ? -1 : 1;
  return as === bs ? 0 : as < bs ? -1 : 1;
}
