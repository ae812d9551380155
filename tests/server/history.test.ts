import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { nodeClient, startTestServer, synced, type TestServer, until } from "../helpers/server.ts";

describe("history", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  const post = (path: string, body: unknown = {}) =>
    fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.token("editor")}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const json = async (path: string) => (await server.get(path)).json();
  const firstText = (doc: Y.Doc) => (doc.getXmlFragment("body").get(1) as Y.XmlElement).get(0) as Y.XmlText;

  it("attributes every change to who made it and when, names versions, compares and restores them", async () => {
    const client = nodeClient(server.wsUrl, "manifesto", { token: server.token("editor") });
    await synced(client.provider);

    const named = await post("/api/editions/manifesto/versions", { label: "sent to the press 2026-12-01" });
    expect(named.status).toBe(201);
    const version = (await named.json()) as { id: number; label: string; createdBy: string };
    expect(version).toMatchObject({
      label: "sent to the press 2026-12-01",
      createdBy: "editor-of-manifesto",
    });

    firstText(client.doc).insert(0, "LATER ");
    firstText(client.doc).delete(firstText(client.doc).toString().indexOf("titanic"), "titanic ".length);
    await until(() => server.db.changes("manifesto").length >= 2, "the edits to be stored");
    const changes = (await json("/api/editions/manifesto/changes")) as { user: string; at: number }[];
    expect(changes[0]).toMatchObject({ user: "editor-of-manifesto", at: expect.any(Number) });

    const compare = (await json(`/api/editions/manifesto/versions/${version.id}/compare`)) as {
      variants: { type: string; base: { text: string }; witness: { text: string } }[];
    };
    expect(compare.variants.map((v) => [v.type, v.base.text, v.witness.text])).toEqual([
      ["addition", "", "LATER"],
      ["omission", "titanic", ""],
    ]);

    const viewed = (await json(`/api/editions/manifesto/versions/${version.id}`)) as { text: string };
    expect(viewed.text).toMatch(
      /^By way of a preface\n\nEvery conscious worker, who cannot remain indifferent to the suffering and torment of his class nor to the titanic struggle/,
    );

    const before = server.db.changes("manifesto", 1000).length;
    const restored = await post(`/api/editions/manifesto/versions/${version.id}/restore`);
    expect(await restored.json()).toEqual({ ok: true, restored: "sent to the press 2026-12-01" });
    await until(
      () => firstText(client.doc).toString().startsWith("Every conscious worker"),
      "the restore to reach the client",
    );
    expect(firstText(client.doc).toString()).toContain("the titanic struggle");
    // A restore is a new change, attributed; nothing was erased from the history.
    const after = server.db.changes("manifesto", 1000);
    expect(after.length).toBe(before + 1);
    expect(after[0]?.user).toBe("editor-of-manifesto");
    expect(((await json("/api/editions/manifesto/versions")) as unknown[]).length).toBe(1);

    const tei = await (await server.get("/api/editions/manifesto/tei")).text();
    expect(tei).toMatch(
      /<change when="\d{4}-\d{2}-\d{2}">sent to the press 2026-12-01 \(named by editor-of-manifesto\)<\/change>/,
    );
    client.provider.destroy();
  });

  it("refuses a version without a label, and one that does not exist, saying so", async () => {
    expect((await post("/api/editions/manifesto/versions", { label: "" })).status).toBe(400);
    const missing = await server.get("/api/editions/manifesto/versions/999");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'no version 999 of edition "manifesto"' });
  });
});
