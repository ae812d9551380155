import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { SYNC_ANSWER_PARAMS } from "../../client/syncAnswer.ts";
import { WholeState } from "../../server/wholeState.ts";
import { nodeClient, synced, type TestServer, until } from "../helpers/server.ts";
import { cleanupAfterEach } from "../helpers/suite.ts";

const cleanup = cleanupAfterEach();

/** A document that tells `whole` of each of its updates, as an open document does. */
function watched(): { doc: Y.Doc; whole: WholeState } {
  const doc = new Y.Doc();
  const whole = new WholeState(doc);
  doc.on("update", (update: Uint8Array) => whole.changed(update));
  return { doc, whole };
}

/**
 * What a fresh peer holds once it has applied an answer, in the order the server sends it: what changed
 * since first (Yjs keeps it pending), then the state it changed.
 */
function received(whole: WholeState, format: "v1" | "v2"): Y.Doc {
  const { state, since } = whole.answer(format);
  const fresh = new Y.Doc();
  if (since) Y.applyUpdate(fresh, since);
  if (format === "v2") Y.applyUpdateV2(fresh, state);
  else Y.applyUpdate(fresh, state);
  expect(fresh.store.pendingStructs, "structs left pending").toBeNull();
  expect(fresh.store.pendingDs, "deletions left pending").toBeNull();
  return fresh;
}

describe("the whole state sent to fresh peers", () => {
  it("is kept across small changes, with what changed since merged into one update", () => {
    const { doc, whole } = watched();
    doc.getText("t").insert(0, "x".repeat(10_000));
    const first = whole.answer("v2");
    expect(first.since).toBeNull();
    doc.getText("t").insert(5, "typed");
    doc.getText("t").delete(0, 2);
    const second = whole.answer("v2");
    expect(second.state, "encoded again after a small change").toBe(first.state);
    expect(second.since).not.toBeNull();
    expect(received(whole, "v2").getText("t").toString()).toBe(doc.getText("t").toString());
  });

  it("is encoded again once the changes since outweigh a share of it", () => {
    const { doc, whole } = watched();
    doc.getText("t").insert(0, "x".repeat(1000));
    const first = whole.answer("v1");
    doc.getText("t").insert(0, "y".repeat(1000));
    const second = whole.answer("v1");
    expect(second.state).not.toBe(first.state);
    expect(second.since).toBeNull();
    expect(received(whole, "v1").getText("t").toString()).toBe(doc.getText("t").toString());
  });

  it("always brings a fresh peer to the document as it is, whatever the edits between answers (seeded)", () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.string({ maxLength: 40 }) }),
      fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.nat(30) }),
      fc.record({ kind: fc.constant("mark" as const), at: fc.nat(), length: fc.nat(30) }),
      fc.record({ kind: fc.constant("answer" as const), v2: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 120 }), (edits) => {
        const { doc, whole } = watched();
        const text = doc.getText("t");
        text.insert(0, "The Workers' Group of the Russian Communist Party ".repeat(20));
        for (const e of edits) {
          const at = "at" in e ? e.at % (text.length + 1) : 0;
          if (e.kind === "insert") text.insert(at, e.text);
          else if (e.kind === "delete") text.delete(at, Math.min(e.length, text.length - at));
          else if (e.kind === "mark") text.format(at, Math.min(e.length, text.length - at), { bold: true });
          else {
            const fresh = received(whole, e.v2 ? "v2" : "v1");
            expect(fresh.getText("t").toDelta()).toEqual(text.toDelta());
          }
        }
        expect(received(whole, "v2").getText("t").toDelta()).toEqual(text.toDelta());
      }),
      { numRuns: 60 },
    );
  });
});

describe("a fresh client of the server", () => {
  const body = (doc: Y.Doc) => doc.getXmlFragment("body").toString();
  const client = (s: TestServer, params: Record<string, string>) => {
    const c = nodeClient(s.wsUrl, "manifesto", { token: s.token("editor"), ...params });
    cleanup.add(() => c.provider.destroy());
    return c;
  };

  it("gets a colleague's edits made after the state it is sent was encoded, in either format", async () => {
    const s = await cleanup.server();
    const colleague = client(s, {});
    await synced(colleague.provider);
    // A first fresh client has the whole state encoded; the colleague's edits come after it.
    await synced(client(s, SYNC_ANSWER_PARAMS).provider);
    await synced(client(s, {}).provider);
    const paragraph = colleague.doc
      .getXmlFragment("body")
      .toArray()
      .find((el) => el instanceof Y.XmlElement && el.nodeName === "paragraph") as Y.XmlElement;
    const text = paragraph.get(0) as Y.XmlText;
    text.insert(0, "FIRST EDIT ");
    text.insert(3, "SECOND ");
    const live = await s.documents.get("manifesto");
    if (!live) throw new Error("manifesto is not open");
    cleanup.add(() => s.documents.release(live));
    await until(() => body(live.ydoc).includes("FIRSECOND ST EDIT"), "the server has both edits");
    for (const params of [SYNC_ANSWER_PARAMS, {}]) {
      const fresh = client(s, params);
      await synced(fresh.provider);
      await until(
        () => body(fresh.doc) === body(live.ydoc),
        `a fresh client (${JSON.stringify(params)}) catches up`,
      );
    }
  });
});
