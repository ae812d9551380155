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

/**
 * What the check found. `missing`: the update depends on structs this document lacks — nothing is
 * wrong with it, the sender has what the server does not (it typed before its sync answer reached it,
 * or learnt of others' changes from another server); it is not applied, and the sender is asked for them.
 */
export type CheckResult =
  | { ok: true; structs: number }
  | { ok: false; reason: string; forbidden?: boolean; missing?: boolean };

/**
 * Checks an update against a document's current state and the rules, without changing anything.
 * `writable` names the roots the sender may change (null: all); an update that would change anything
 * under another root is refused whole and marked `forbidden`.
 */
export function checkUpdate(
  doc: Y.Doc,
  update: Uint8Array,
  rules: UpdateRules,
  writable: ReadonlySet<string> | null = null,
): CheckResult {
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
        missing: true,
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
        missing: true,
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
        return {
          ok: false,
          missing: true,
          reason: `update deletes structs of client ${client} the document does not have`,
        };
      }
    }
  }
  if (writable !== null) {
    const touched = rootsTouched(doc, decoded, known);
    const outside = [...touched].filter((root) => !writable.has(root));
    if (outside.length > 0) {
      const may = writable.size === 0 ? "nothing" : [...writable].sort().join(", ");
      return {
        ok: false,
        forbidden: true,
        reason: `this connection may change ${may}; the update touches ${outside.sort().join(", ")}`,
      };
    }
  }
  return { ok: true, structs: decoded.structs.length };
}

/**
 * Keys of a root's map that only an edition's owner may change (the publication settings: whether
 * proposed readings are printed). An update touching one is seen as touching `<root>.<key>`.
 */
export const OWNER_KEYS: ReadonlySet<string> = new Set(["meta.publication"]);

/**
 * The roots an update would change: the root of every new struct and of every struct it deletes. Structs
 * the document already has are skipped (re-sending them changes nothing). A struct whose root cannot be
 * told counts as touching "?" so that a restricted sender is refused rather than trusted.
 */
export function rootsTouched(
  doc: Y.Doc,
  decoded: {
    structs: (Y.Item | Y.GC | Y.Skip)[];
    ds: { clients: Map<number, { clock: number; len: number }[]> };
  },
  known: Map<number, number>,
): Set<string> {
  const touched = new Set<string>();
  // The update's items per client, in clock order (as the update lists them), for binary search.
  const byClient = new Map<number, Y.Item[]>();
  for (const st of decoded.structs) {
    if (!(st instanceof Y.Item)) continue;
    const list = byClient.get(st.id.client);
    if (list) list.push(st);
    else byClient.set(st.id.client, [st]);
  }
  const findInUpdate = (id: Y.ID): Y.Item | null => {
    const list = byClient.get(id.client);
    if (!list) return null;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const st = list[mid] as Y.Item;
      if (id.clock < st.id.clock) hi = mid - 1;
      else if (id.clock >= st.id.clock + st.length) lo = mid + 1;
      else return st;
    }
    return null;
  };

  // A value set directly under a root's key that only the owner may change counts as its own root.
  const keyed = (root: string, key: string | null | undefined): string =>
    key && OWNER_KEYS.has(`${root}.${key}`) ? `${root}.${key}` : root;
  const rootOfItem = (item: Y.Item): string => {
    const parent = item.parent as Y.AbstractType<unknown>;
    return parent._item ? rootOfType(parent) : keyed(rootOfType(parent), item.parentSub);
  };
  const rootOfType = (type: Y.AbstractType<unknown>): string => {
    let t = type;
    while (t._item) t = t._item.parent as Y.AbstractType<unknown>;
    try {
      return Y.findRootTypeKey(t);
    } catch {
      return "?";
    }
  };
  const rootOfId = (id: Y.ID, depth: number): string => {
    if (depth > 10_000) return "?";
    if (id.clock < (known.get(id.client) ?? 0)) {
      const item = Y.getItem(doc.store, id);
      return item instanceof Y.Item ? rootOfItem(item) : "?";
    }
    const s = findInUpdate(id);
    return s ? rootOfStruct(s, depth + 1) : "?";
  };
  // Remembered per struct: structs come in clock order, so a struct's neighbour in the same update is
  // usually resolved already, and a long run of typed characters costs one step per character.
  const resolved = new Map<Y.Item, string>();
  const rootOfStruct = (s: Y.Item, depth: number): string => {
    const known = resolved.get(s);
    if (known !== undefined) return known;
    const parent = s.parent as unknown;
    let root = "?";
    if (typeof parent === "string") root = keyed(parent, s.parentSub);
    else if (parent && typeof parent === "object" && "client" in parent)
      root = rootOfId(parent as Y.ID, depth);
    else if (s.origin) root = rootOfId(s.origin, depth);
    else if (s.rightOrigin) root = rootOfId(s.rightOrigin, depth);
    resolved.set(s, root);
    return root;
  };
  for (const s of decoded.structs) {
    const isNew = s.id.clock + s.length > (known.get(s.id.client) ?? 0);
    if (!isNew) continue;
    touched.add(s instanceof Y.Item ? rootOfStruct(s, 0) : "?");
  }
  for (const [client, ranges] of decoded.ds.clients) {
    for (const range of ranges) {
      let clock = range.clock;
      while (clock < range.clock + range.len) {
        const id = Y.createID(client, clock);
        if (clock < (known.get(client) ?? 0)) {
          // A GC struct is content already deleted and collected: deleting it again changes nothing.
          const item = Y.getItem(doc.store, id) as Y.Item | Y.GC;
          if (item instanceof Y.Item && !item.deleted) touched.add(rootOfItem(item));
          clock = item.id.clock + item.length;
        } else {
          const s = findInUpdate(id);
          if (!s) break;
          touched.add(rootOfStruct(s, 0));
          clock = s.id.clock + s.length;
        }
      }
    }
  }
  return touched;
}

function idText(id: Y.ID): string {
  return `${id.client}:${id.clock}`;
}
