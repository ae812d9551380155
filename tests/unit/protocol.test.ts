import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import {
  decodeMessage,
  encodeAwareness,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  readAwarenessClients,
} from "../../server/protocol.ts";

function docWith(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText("t").insert(0, text);
  return doc;
}

describe("the sync protocol", () => {
  it("decodes what it encodes: sync step 1, step 2 and updates", () => {
    const doc = docWith("hello");
    const step1 = decodeMessage(encodeSyncStep1(doc));
    expect(step1).toEqual({
      ok: true,
      message: { type: "sync-step-1", stateVector: Y.encodeStateVector(doc) },
    });
    const update = Y.encodeStateAsUpdate(doc);
    expect(decodeMessage(encodeSyncStep2(update))).toEqual({
      ok: true,
      message: { type: "sync-step-2", update },
    });
    expect(decodeMessage(encodeUpdate(update))).toEqual({ ok: true, message: { type: "update", update } });
  });

  it("decodes awareness and the denial it sends", () => {
    const awareness = new Awareness(new Y.Doc());
    awareness.setLocalState({ user: { name: "A" } });
    const decoded = decodeMessage(encodeAwareness(awareness));
    expect(decoded.ok && decoded.message.type).toBe("awareness");
    if (decoded.ok && decoded.message.type === "awareness") {
      expect(readAwarenessClients(decoded.message.update)).toEqual([awareness.clientID]);
    }
    expect(decodeMessage(encodePermissionDenied("no"))).toEqual({
      ok: true,
      message: { type: "auth", denied: true, reason: "no" },
    });
  });

  it("returns a reason, not an exception, for garbage, unknown types and trailing bytes", () => {
    expect(decodeMessage(new Uint8Array([]))).toMatchObject({ ok: false });
    expect(decodeMessage(new Uint8Array([9, 0]))).toEqual({ ok: false, reason: "unknown message type 9" });
    expect(decodeMessage(new Uint8Array([0, 7, 0]))).toEqual({
      ok: false,
      reason: "unknown sync message type 7",
    });
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, new Uint8Array([0, 0]));
    encoding.writeVarUint(e, 5);
    expect(decodeMessage(encoding.toUint8Array(e))).toEqual({
      ok: false,
      reason: "update message has trailing bytes",
    });
    expect(decodeMessage(new Uint8Array([0, 2, 200]))).toMatchObject({ ok: false });
  });
});
