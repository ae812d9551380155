import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { CloseCode } from "../../server/closeCodes.ts";
import { decodeMessage, encodeSyncStep2, encodeUpdate } from "../../server/protocol.ts";
import { addUser, exited, spawnServer } from "../helpers/process.ts";
import { forgeUpdate, rawPeer } from "../helpers/rawClient.ts";
import {
  closed,
  nodeClient,
  rawSocket,
  startTestServer,
  synced,
  type TestServer,
  tempDir,
  until,
} from "../helpers/server.ts";
import { cleanupAfterEach } from "../helpers/suite.ts";

const cleanup = cleanupAfterEach();
const server = cleanup.server;

function client(s: TestServer, name = "manifesto") {
  const c = nodeClient(s.wsUrl, name, { token: s.token("editor") });
  cleanup.add(() => c.provider.destroy());
  return c;
}

/** The text of the first paragraph of the body, read straight from the Y structure. */
function firstParagraph(doc: Y.Doc): string {
  const body = doc.getXmlFragment("body");
  for (const el of body.toArray()) {
    if (el instanceof Y.XmlElement && el.nodeName === "paragraph") {
      return el
        .toArray()
        .map((t) => (t instanceof Y.XmlText ? t.toString().replace(/<[^>]+>/g, "") : ""))
        .join("");
    }
  }
  return "";
}

function typeAtStart(doc: Y.Doc, text: string): void {
  const body = doc.getXmlFragment("body");
  const p = body
    .toArray()
    .find((el) => el instanceof Y.XmlElement && el.nodeName === "paragraph") as Y.XmlElement;
  (p.get(0) as Y.XmlText).insert(0, text);
}

describe("the sync server", () => {
  it("answers its health check and lists the seeded Manifesto", async () => {
    const s = await server();
    expect(await (await fetch(`${s.url}/healthz`)).json()).toEqual({ ok: true });
    const editions = (await (await s.get("/api/editions")).json()) as { id: string; title: string }[];
    expect(editions).toEqual([{ id: "manifesto", title: expect.stringContaining("Manifesto") }]);
  });

  it("lets two Node clients edit the same paragraph at once and both end with both edits", async () => {
    const s = await server();
    const a = client(s);
    const b = client(s);
    await Promise.all([synced(a.provider), synced(b.provider)]);
    typeAtStart(a.doc, "[A] ");
    typeAtStart(b.doc, "[B] ");
    await until(
      () =>
        firstParagraph(a.doc) === firstParagraph(b.doc) &&
        firstParagraph(a.doc).includes("[A]") &&
        firstParagraph(a.doc).includes("[B]"),
      "convergence",
    );
    expect(firstParagraph(a.doc)).toMatch(/^\[[AB]\] \[[AB]\] Every conscious worker/);
  });

  it("keeps the text across a restart of the server on the same data folder", async () => {
    const dataDir = tempDir();
    cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await startTestServer({ dataDir });
    const a = nodeClient(first.wsUrl, "manifesto", { token: first.token("editor") });
    await synced(a.provider);
    typeAtStart(a.doc, "Restart-proof: ");
    await until(() => first.db.changes("manifesto").length > 0, "the update to be stored");
    a.provider.destroy();
    await first.close();
    const second = await server({ dataDir });
    const b = client(second);
    await synced(b.provider);
    expect(firstParagraph(b.doc)).toMatch(/^Restart-proof: Every conscious worker/);
  });

  it("keeps every acknowledged edit when the server process is killed with SIGKILL", async () => {
    const dataDir = tempDir();
    cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await spawnServer(dataDir);
    cleanup.add(() => void first.child.kill("SIGKILL"));
    const wsUrl = `ws://127.0.0.1:${first.port}/sync`;
    const token = addUser(dataDir, "typist", "editor");
    const writer = nodeClient(wsUrl, "manifesto", { token });
    const witness = nodeClient(wsUrl, "manifesto", { token });
    cleanup.add(() => writer.provider.destroy());
    cleanup.add(() => witness.provider.destroy());
    await Promise.all([synced(writer.provider), synced(witness.provider)]);
    for (let i = 0; i < 20; i++) typeAtStart(writer.doc, `${i} `);
    // The other client has received the last edit: the server broadcast it, so it had stored it first.
    await until(
      () => firstParagraph(witness.doc).startsWith("19 18 "),
      "the edits to reach the other client",
    );
    first.child.kill("SIGKILL");
    await exited(first.child);
    writer.provider.destroy();
    witness.provider.destroy();
    const second = await spawnServer(dataDir);
    cleanup.add(() => void second.child.kill("SIGKILL"));
    const reader = nodeClient(`ws://127.0.0.1:${second.port}/sync`, "manifesto", { token });
    cleanup.add(() => reader.provider.destroy());
    await synced(reader.provider);
    expect(firstParagraph(reader.doc)).toBe(firstParagraph(witness.doc));
    expect(firstParagraph(reader.doc)).toMatch(/^19 18 17 .* 1 0 Every conscious worker/);
  });

  it("closes only the socket that sends a garbage frame; the others go on editing", async () => {
    const s = await server();
    const a = client(s);
    const b = client(s);
    await Promise.all([synced(a.provider), synced(b.provider)]);
    const bad = await rawSocket(`${s.wsUrl}/manifesto?token=${s.token("editor")}`);
    const done = closed(bad);
    bad.send(new Uint8Array([0, 2, 9, 255, 255, 1, 2, 3, 4, 5, 6]));
    const { code, reason } = await done;
    expect(code).toBe(CloseCode.malformedMessage);
    expect(reason).toMatch(/update|decode/);
    expect(s.log.lines.some((l) => l.startsWith("warn closing connection"))).toBe(true);
    typeAtStart(a.doc, "still alive ");
    await until(() => firstParagraph(b.doc).startsWith("still alive "), "the other clients to keep syncing");
  });

  it("survives a frame with reserved bits set and keeps serving", async () => {
    const s = await server();
    const { connect } = await import("node:net");
    const socket = connect(s.port, "127.0.0.1");
    await new Promise<void>((r) => socket.once("connect", () => r()));
    socket.write(
      `GET /sync/manifesto?token=${s.token("editor")} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    );
    await new Promise((r) => socket.once("data", r));
    // FIN + RSV2 + RSV3 + binary opcode, masked, empty payload.
    socket.write(Buffer.from([0b10110010, 0x80, 1, 2, 3, 4]));
    await new Promise((r) => socket.once("close", r));
    const c = client(s);
    await synced(c.provider);
    expect(firstParagraph(c.doc)).toMatch(/^Every conscious worker/);
  });

  it("refuses a websocket whose document name is broken percent-encoding with 404 and a reason, and a handshake ws refuses with 400, and keeps serving", async () => {
    const s = await server();
    const { connect } = await import("node:net");
    const ask = (path: string, key = "dGhlIHNhbXBsZSBub25jZQ==") =>
      new Promise<string>((resolve) => {
        const socket = connect(s.port, "127.0.0.1");
        let answer = "";
        socket.on("data", (d) => {
          answer += String(d);
        });
        socket.on("close", () => resolve(answer));
        socket.on("error", () => resolve(answer));
        socket.write(
          `GET ${path}?token=${s.token("editor")} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        );
        setTimeout(() => socket.end(), 500);
      });
    const broken = await ask("/sync/manifesto%E0%A4%A");
    expect(broken).toMatch(/^HTTP\/1.1 404/);
    expect(broken).toContain("not valid percent-encoding");
    // A key ws refuses: the handshake fails after the document was loaded for it.
    const refused = await ask("/sync/manifesto", "not-a-key");
    expect(refused).toMatch(/^HTTP\/1.1 400/);
    const c = client(s);
    await synced(c.provider);
    expect(firstParagraph(c.doc)).toMatch(/^Every conscious worker/);
  });

  it("asks a client whose update depends on what the server lacks for it, rather than closing: a client that typed before its sync answer arrived loses nothing", async () => {
    const s = await server();
    const peer = await rawPeer(`${s.wsUrl}/manifesto?token=${s.token("editor")}`);
    const asked: Uint8Array[] = [];
    peer.ws.on("message", (data: Buffer) => {
      const m = decodeMessage(new Uint8Array(data));
      if (m.ok && m.message.type === "sync-step-1") asked.push(m.message.stateVector);
    });
    const text = () => (peer.doc.getXmlFragment("body").get(0) as Y.XmlElement).get(0) as Y.XmlText;
    // Two keystrokes; only the second reaches the server (as when the first went to a server that died).
    const sv = Y.encodeStateVector(peer.doc);
    text().insert(0, "[first] ");
    const between = Y.encodeStateVector(peer.doc);
    text().insert(0, "[second] ");
    peer.ws.send(encodeUpdate(Y.encodeStateAsUpdate(peer.doc, between)));
    await until(() => asked.length > 0, "the server to ask for what it lacks");
    expect(asked[0], "the server's state vector, without the first keystroke").toEqual(sv);
    // The client answers as y-protocols does: everything the server's state vector lacks.
    peer.ws.send(encodeSyncStep2(Y.encodeStateAsUpdate(peer.doc, asked[0])));
    const c = client(s);
    await synced(c.provider);
    await until(
      () => c.doc.getXmlFragment("body").toString().includes("[second] [first] "),
      "both keystrokes at another client",
    );
    expect(peer.ws.readyState).toBe(peer.ws.OPEN);
    peer.ws.close();
  });

  it("refuses an unknown edition: 404 over HTTP, a named close code on the websocket, nothing created", async () => {
    const s = await server();
    const res = await s.get("/api/editions/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'unknown edition "nope"' });
    expect((await fetch(`${s.url}/editions/nope`)).status).toBe(404);
    const ws = await rawSocket(`${s.wsUrl}/nope`);
    expect(await closed(ws)).toEqual({
      code: CloseCode.unknownDocument,
      reason: 'unknown edition or document "nope"',
    });
    expect(s.db.hasDocument("nope")).toBe(false);
  });

  it("refuses a client with another schema version before it can write", async () => {
    const s = await server();
    const ws = await rawSocket(`${s.wsUrl}/manifesto?schema=0&token=${s.token("editor")}`);
    const result = await closed(ws);
    expect(result.code).toBe(CloseCode.schemaOutdated);
    expect(result.reason).toMatch(/schema version 0 does not match/);
  });

  it("closes a connection whose message is larger than the limit, with a reason, and stores nothing", async () => {
    const s = await server({ maxMessageBytes: 64 * 1024 });
    const ws = await rawSocket(`${s.wsUrl}/manifesto?token=${s.token("editor")}`);
    const done = closed(ws);
    ws.send(encodeUpdate(new Uint8Array(100 * 1024)));
    const result = await done;
    expect(result.code).toBe(1009);
    expect(s.db.changes("manifesto")).toHaveLength(0);
  });

  it("refuses an update that would make the document larger than its cap, and stores nothing", async () => {
    const s = await server({ maxDocumentBytes: 100_000 });
    const before = s.db.changes("manifesto").length;
    const result = await forgeUpdate(`${s.wsUrl}/manifesto?token=${s.token("editor")}`, (doc) =>
      ((doc.getXmlFragment("body").get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, "x".repeat(80_000)),
    );
    expect(result.closed).toEqual({
      code: CloseCode.documentTooLarge,
      reason: expect.stringMatching(/would exceed its limit of 100000 bytes/),
    });
    expect(s.db.changes("manifesto")).toHaveLength(before);
  });

  it("unloads an idle document from memory and loads it again on the next connection", async () => {
    const s = await server({ unloadAfterMs: 50 });
    const a = client(s);
    await synced(a.provider);
    typeAtStart(a.doc, "kept ");
    await until(() => s.db.changes("manifesto").length > 0, "the update to be stored");
    a.provider.destroy();
    await until(() => !s.documents.isOpen("manifesto"), "the idle document to be unloaded");
    const b = client(s);
    await synced(b.provider);
    expect(firstParagraph(b.doc)).toMatch(/^kept Every/);
  });
});
