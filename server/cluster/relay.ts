/**
 * The relay between one server's open documents and the bus: what a document stored goes to the other
 * servers, what they stored comes back into the document, and a hint that may have been lost sends the
 * document to the store for what it missed. The bus is never the truth: the store is.
 */
import type { OpenDocument, Relay } from "../document.ts";
import type { Log } from "../log.ts";
import type { Bus, BusMessage } from "./bus.ts";

/** A relay over `bus`, and `follow`, which subscribes an open document to what the others store. */
export function busRelay(bus: Bus, log: Log): Relay & { follow(doc: OpenDocument): Promise<() => void> } {
  const publish = (doc: string, m: BusMessage) =>
    bus.publish(doc, m).catch((error: Error) =>
      // The update is stored: the other servers read it from the store on their next catch-up.
      log.warn(`relaying ${m.kind} of "${doc}" failed: ${error.message}`),
    );
  return {
    update: (doc, seq, data) => void publish(doc, { kind: "update", seq, data }),
    awareness: (doc, data) => void publish(doc, { kind: "awareness", data }),
    follow: async (doc) => {
      const unsubscribe = bus.subscribe(doc.name, {
        message: (m) => {
          if (m.kind === "update") doc.applyRelayed(m.seq, m.data);
          else
            try {
              doc.applyRelayedAwareness(m.data);
            } catch (error) {
              log.warn(`relayed awareness of "${doc.name}" cannot be read: ${(error as Error).message}`);
            }
        },
        gap: () => {
          doc.catchUp().catch((error: Error) => log.warn(`catching up "${doc.name}": ${error.message}`));
        },
      });
      await unsubscribe.ready;
      return unsubscribe;
    },
  };
}
