import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import * as Y from "yjs";
import { SYNC_ANSWER_PARAMS } from "../../client/syncAnswer.ts";
import { SYNC_STEP2_V2_MESSAGE } from "../../schema/wire.ts";
import { MessageType, SyncType } from "../../server/protocol.ts";
import { nodeClient, synced, type TestServer, until } from "../helpers/server.ts";
import { cleanupAfterEach } from "../helpers/suite.ts";

const cleanup = cleanupAfterEach();

function client(s: TestServer, params: Record<string, string>) {
  const c = nodeClient(s.wsUrl, "manifesto", { token: s.token("editor"), ...params });
  cleanup.add(() => c.provider.destroy());
  return c;
}

const bodyOf = (doc: Y.Doc) => doc.getXmlFragment("body").toString();

/** The first varuints of the messages a raw socket is sent after its sync step 1, until an answer comes. */
async function answerTypes(s: TestServer, query: string): Promise<{ types: number[]; answer: Uint8Array }> {
  const ws = new WebSocket(`${s.wsUrl}/manifesto?token=${s.token("reader")}${query}`);
  cleanup.add(() => ws.close());
  const types: number[] = [];
  return new Promise((resolve, reject) => {
    ws.on("error", reject);
    ws.on("open", () => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MessageType.sync);
      encoding.writeVarUint(e, SyncType.step1);
      encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
      ws.send(encoding.toUint8Array(e));
    });
    ws.on("message", (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data));
      const type = decoding.readVarUint(d);
      types.push(type);
      if (type === SYNC_STEP2_V2_MESSAGE) resolve({ types, answer: decoding.readVarUint8Array(d) });
      else if (type === MessageType.sync && decoding.readVarUint(d) === SyncType.step2)
        resolve({ types, answer: decoding.readVarUint8Array(d) });
    });
  });
}

describe("sync answers in Yjs's second update format", () => {
  it("are sent to a client that asks for them, which ends with the same document as a stock client", async () => {
    const s = await cleanup.server();
    const stock = client(s, {});
    const v2 = client(s, SYNC_ANSWER_PARAMS);
    await Promise.all([synced(stock.provider), synced(v2.provider)]);
    expect(bodyOf(v2.doc).length).toBeGreaterThan(10_000);
    expect(bodyOf(v2.doc)).toBe(bodyOf(stock.doc));
    expect(v2.doc.getMap("apparatus").toJSON()).toEqual(stock.doc.getMap("apparatus").toJSON());

    // The answer's format is the one asked for; a stock client's is y-protocols' step 2.
    const asked = await answerTypes(s, "&sync=v2");
    expect(asked.types).toContain(SYNC_STEP2_V2_MESSAGE);
    const fresh = new Y.Doc();
    Y.applyUpdateV2(fresh, asked.answer);
    expect(bodyOf(fresh)).toBe(bodyOf(stock.doc));
    const plain = await answerTypes(s, "");
    expect(plain.types).not.toContain(SYNC_STEP2_V2_MESSAGE);
    const old = new Y.Doc();
    Y.applyUpdate(old, plain.answer);
    expect(bodyOf(old)).toBe(bodyOf(stock.doc));
  });

  it("carry what a client missed while away, and its edits reach the others", async () => {
    const s = await cleanup.server();
    const stock = client(s, {});
    const v2 = client(s, SYNC_ANSWER_PARAMS);
    await Promise.all([synced(stock.provider), synced(v2.provider)]);
    const paragraph = (doc: Y.Doc) =>
      doc
        .getXmlFragment("body")
        .toArray()
        .find((el) => el instanceof Y.XmlElement && el.nodeName === "paragraph") as Y.XmlElement;
    // Away: its next sync answer is the difference from the state it holds, in the second format.
    v2.provider.disconnect();
    await until(() => !v2.provider.wsconnected, "the client to leave");
    (paragraph(stock.doc).get(0) as Y.XmlText).insert(0, "[while away] ");
    await until(
      () => s.opened().ydoc.getXmlFragment("body").toString().includes("[while away]"),
      "the edit stored",
    );
    v2.provider.connect();
    await until(() => bodyOf(v2.doc).includes("[while away]"), "the missed edit to arrive");
    (paragraph(v2.doc).get(0) as Y.XmlText).insert(0, "[back] ");
    await until(() => bodyOf(stock.doc).includes("[back]"), "its edit to reach the stock client");
    expect(bodyOf(v2.doc)).toBe(bodyOf(stock.doc));
  });
});
