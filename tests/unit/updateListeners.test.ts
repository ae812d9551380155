import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { listenOnlyToOthers } from "../../client/connection.ts";

describe("the workbench's update listeners", () => {
  it("hear every local edit, nested ones included, but leave what the provider applied unencoded", () => {
    const provider = { name: "provider" };
    const remote = new Y.Doc();
    remote.getText("t").insert(0, "x".repeat(10_000));
    const big = Y.encodeStateAsUpdate(remote);

    const doc = new Y.Doc();
    const heard: { origin: unknown; update: Uint8Array }[] = [];
    const listener = (update: Uint8Array, origin: unknown) => {
      if (origin !== provider) heard.push({ origin, update });
    };
    doc.on("update", listener);
    const stop = listenOnlyToOthers(doc, provider, [listener]);
    // What Yjs would have encoded for the remote transaction: it encodes only when someone listens.
    let encodedForRemote = false;
    doc.on("afterTransactionCleanup", (tr: Y.Transaction) => {
      if (tr.origin === provider) encodedForRemote ||= doc._observers.has("update");
    });

    // A local edit made while the provider's update is being applied (as an observer would).
    let nested = false;
    doc.getText("t").observe((event) => {
      if (event.transaction.origin === provider && !nested) {
        nested = true;
        doc.transact(() => doc.getMap("m").set("k", "in the middle"), "editor");
      }
    });
    Y.applyUpdate(doc, big, provider);
    doc.transact(() => doc.getText("t").insert(0, "after "), "editor");

    expect(encodedForRemote).toBe(false);
    expect(heard.map((h) => h.origin)).toEqual(["editor", "editor"]);
    // What was heard for the nested edit is that edit: a peer holding the provider's text gets it from it.
    const peer = new Y.Doc();
    Y.applyUpdate(peer, big);
    Y.applyUpdate(peer, (heard[0] as { update: Uint8Array }).update);
    expect(peer.getMap("m").toJSON()).toEqual({ k: "in the middle" });

    stop();
    doc.off("update", listener);
    doc.transact(() => doc.getText("t").insert(0, "unheard "), "editor");
    expect(heard).toHaveLength(2);
  });
});
