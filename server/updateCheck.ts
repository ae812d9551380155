/**
 * The check an incoming update passes before it is applied. Yjs cannot take back part of an update once
 * applied, and an update that depends on structs the server lacks is kept "pending" in memory, perhaps
 * forever; so an update is decoded and examined first, and refused whole when anything is wrong.
 */
import * as Y from "yjs";

export interface UpdateRules {
  /** Largest update accepted, in bytes. */
  maxBytes: number;
  /** Root names an update may create or write under. */
  roots: ReadonlySet<string>;
  /** Element names (ProseMirror node types) allowed in Y.XmlElements. */
  nodeNames: ReadonlySet<string>;
  /** Mark names allowed as text formatting keys (`name` or y-prosemirror's `name--hash`). */
  markNames: ReadonlySet<string>;
}

export type CheckResult = { ok: true; structs: number } | { ok: false; reason: string };

/** Checks an update against a document's current state and the rules, without changing anything. */
export function checkUpdate(doc: Y.Doc, update: Uint8Array, rules: UpdateRules): CheckResult {
  if (update.byteLength > rules.maxBytes) {
    return {
      ok: false,
      reason: `update of ${update.byteLength} bytes exceeds the limit of ${rules.maxBytes}`,
    };
  }
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch (error) {
    return { ok: false, reason: `update cannot be decoded (${(error as Error).message})` };
  }
  const known = Y.decodeStateVector(Y.encodeStateVector(doc));
  // What the update itself brings, per client: a struct may refer to one before it in the same update.
  const brought = new Map<number, number>();
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    const upTo = brought.get(client) ?? known.get(client) ?? 0;
    if (struct instanceof Y.Skip || clock > upTo) {
      return {
        ok: false,
        reason: `update skips structs of client ${client} (has ${upTo}, starts at ${clock})`,
      };
    }
    brought.set(client, Math.max(upTo, clock + struct.length));
  }
  const have = (id: Y.ID | null) =>
    id === null || id.clock < (brought.get(id.client) ?? known.get(id.client) ?? 0);
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    if (!have(struct.origin) || !have(struct.rightOrigin)) {
      return {
        ok: false,
        reason: `struct ${idText(struct.id)} refers to a neighbour the document does not have`,
      };
    }
    const parent = struct.parent as unknown;
    if (typeof parent === "string") {
      if (!rules.roots.has(parent))
        return { ok: false, reason: `unknown root "${parent}" in struct ${idText(struct.id)}` };
    } else if (parent instanceof Object && "client" in parent) {
      if (!have(parent as Y.ID)) {
        return {
          ok: false,
          reason: `struct ${idText(struct.id)} refers to a parent the document does not have`,
        };
      }
    }
    const content = struct.content as unknown;
    if (content instanceof Y.ContentType) {
      const type = content.type;
      if (type instanceof Y.XmlElement && !rules.nodeNames.has(type.nodeName)) {
        return { ok: false, reason: `unknown node type "${type.nodeName}" in struct ${idText(struct.id)}` };
      }
      if (type instanceof Y.XmlHook)
        return { ok: false, reason: `XmlHook in struct ${idText(struct.id)} is not used` };
    } else if (content instanceof Y.ContentFormat) {
      const mark = content.key.split("--")[0] as string;
      if (!rules.markNames.has(mark)) {
        return { ok: false, reason: `unknown mark "${content.key}" in struct ${idText(struct.id)}` };
      }
    }
  }
  for (const [client, ranges] of decoded.ds.clients) {
    const upTo = brought.get(client) ?? known.get(client) ?? 0;
    for (const range of ranges) {
      if (range.clock + range.len > upTo) {
        return { ok: false, reason: `update deletes structs of client ${client} the document does not have` };
      }
    }
  }
  return { ok: true, structs: decoded.structs.length };
}

function idText(id: Y.ID): string {
  return `${id.client}:${id.clock}`;
}
