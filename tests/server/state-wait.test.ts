import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ROOT_NAMES } from "../../schema/layout.ts";
import { MARK_NAMES, NODE_NAMES } from "../../schema/schema.ts";
import { OpenDocument } from "../../server/document.ts";
import { memoryLog } from "../../server/log.ts";
import { holdsState, waitForState } from "../../server/stateWait.ts";
import { asyncSqlite } from "../../server/store/sqliteAdapter.ts";
import { openSqliteStore } from "../../server/store.ts";
import { tempDir } from "../helpers/server.ts";

describe("waiting for what a client had", () => {
  it("resolves once the document holds the client's changes, and says so when they never come", async () => {
    const store = asyncSqlite(openSqliteStore(tempDir()));
    const client = new Y.Doc();
    const p = new Y.XmlElement("paragraph");
    p.setAttribute("id", "p-1");
    client.getXmlFragment("body").insert(0, [p]);
    p.insert(0, [new Y.XmlText("the words on screen")]);
    await store.createDocument("w", Y.encodeStateAsUpdate(new Y.Doc()));
    const doc = await OpenDocument.open("w", store, {
      rules: { maxBytes: 1 << 20, roots: ROOT_NAMES, nodeNames: NODE_NAMES, markNames: MARK_NAMES },
      compactEvery: 1000,
      maxDocumentBytes: 1 << 26,
      log: memoryLog(),
    });
    try {
      const wanted = Y.encodeStateVector(client);
      expect(holdsState(doc.ydoc, wanted)).toBe(false);
      expect(await waitForState(doc, wanted, 100), "nothing arrived").toBe(false);
      const waiting = waitForState(doc, wanted, 5000);
      setTimeout(() => {
        doc.applyFrom({ kind: "connection", connectionId: 1, user: null }, Y.encodeStateAsUpdate(client));
      }, 50);
      expect(await waiting).toBe(true);
      expect(doc.ydoc.getXmlFragment("body").toString()).toContain("the words on screen");
      expect((await store.changes("w")).length, "and it is stored").toBe(1);
      await expect(waitForState(doc, new Uint8Array([200]), 10)).rejects.toThrow();
    } finally {
      doc.destroy();
      await store.close();
    }
  });
});
