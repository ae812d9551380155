import * as Y from "yjs";

/** A unique token a test client types, `⟦c3u17⟧` (client 3's 17th), to follow one update everywhere. */
export const markerOf = (client: number, n: number) => `⟦c${client}u${n}⟧`;
/** Any marker: a client's (`⟦c3u17⟧`) or a test's own (`⟦pg-refused⟧`). */
const MARKERS = /⟦[^⟦⟧\s]+⟧/g;

/** The text paragraphs of the body whose first child is text: where markers are typed. */
function textParagraphs(doc: Y.Doc, upTo = 6): Y.XmlText[] {
  const texts: Y.XmlText[] = [];
  for (const el of doc.getXmlFragment("body").toArray()) {
    if (!(el instanceof Y.XmlElement) || el.nodeName !== "paragraph") continue;
    const first = el.get(0);
    if (first instanceof Y.XmlText) texts.push(first);
    if (texts.length === upTo) break;
  }
  return texts;
}

/**
 * Types `marker` as one insert at the very start of one of the first paragraphs. Inserting only at
 * a start never splits an earlier marker, so each stays whole in every replica.
 */
export function typeMarker(doc: Y.Doc, marker: string, paragraph: number): boolean {
  const texts = textParagraphs(doc);
  const text = texts[paragraph % Math.max(texts.length, 1)];
  // A client that has not synced yet has no text to type into.
  if (!text) return false;
  text.insert(0, marker);
  return true;
}

/** Every marker in the document's text (formatting aside). */
export function markersIn(doc: Y.Doc): Set<string> {
  let plain = "";
  for (const text of textParagraphs(doc, Number.POSITIVE_INFINITY)) {
    for (const op of text.toDelta() as { insert?: unknown }[])
      if (typeof op.insert === "string") plain += op.insert;
    plain += "\n";
  }
  return new Set(plain.match(MARKERS) ?? []);
}

/** The markers an update inserts (each was typed as one insert, so it is one string in the update). */
function markersOfUpdate(update: Uint8Array): string[] {
  const found: string[] = [];
  for (const s of Y.decodeUpdate(update).structs) {
    if (s instanceof Y.Item && s.content instanceof Y.ContentString)
      found.push(...(s.content.str.match(MARKERS) ?? []));
  }
  return found;
}

/**
 * Which typed markers are acknowledged. The server stores an update before anyone receives it (the
 * durability rule), so once a client other than its author has received a marker from a server, the
 * marker is stored: it must then be in every replica, in a fresh load and in the database, even if the
 * server that took it and the author are both gone.
 */
export class Ledger {
  /** Marker → the client that typed it. */
  readonly typed = new Map<string, number>();
  /** Marker → when another client first received it. */
  readonly acknowledged = new Map<string, number>();
  private readonly counts = new Map<number, number>();

  /** Notes what `client` receives from its server from now on. */
  watch(client: number, doc: Y.Doc, fromServer: unknown): void {
    doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin !== fromServer) return;
      for (const m of markersOfUpdate(update)) {
        const author = Number(/⟦c(\d+)u/.exec(m)?.[1]);
        if (author !== client && !this.acknowledged.has(m)) this.acknowledged.set(m, Date.now());
      }
    });
  }

  /** Types the client's next marker into its replica and notes it; null if it has no text yet. */
  type(client: number, doc: Y.Doc, paragraph: number): string | null {
    const n = (this.counts.get(client) ?? 0) + 1;
    const marker = markerOf(client, n);
    if (!typeMarker(doc, marker, paragraph)) return null;
    this.counts.set(client, n);
    this.typed.set(marker, client);
    return marker;
  }

  /** The acknowledged markers `doc` lacks. */
  missingIn(doc: Y.Doc, acknowledged: Iterable<string> = this.acknowledged.keys()): string[] {
    const have = markersIn(doc);
    return [...acknowledged].filter((m) => !have.has(m));
  }
}
