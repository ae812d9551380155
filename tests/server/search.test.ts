import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { createThread, newThreadId } from "../../schema/comments.ts";
import { ROOTS } from "../../schema/layout.ts";
import { until } from "../helpers/editorPage.ts";
import { nodeClient, startTestServer, synced, type TestServer } from "../helpers/server.ts";
import { publish } from "../helpers/suite.ts";

interface Hit {
  kind: string;
  id: string;
  where: string;
  snippet: string;
  marks: [number, number][];
}

describe("searching an edition over HTTP", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.dispose());

  const search = async (q: string, token: string | null): Promise<Hit[]> => {
    const res = await fetch(`${server.url}/api/editions/manifesto/search?q=${encodeURIComponent(q)}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Hit[];
  };

  it("finds a colleague's new words as soon as they are acknowledged", async () => {
    const editor = server.userToken("Sid", "editor");
    const { doc, provider } = nodeClient(server.wsUrl, "manifesto", { token: editor });
    await synced(provider);
    doc.transact(() => {
      const p = new Y.XmlElement("paragraph");
      p.setAttribute("id", "p-search-test");
      const text = new Y.XmlText();
      text.insert(0, "Zimmerwald was mentioned by nobody.");
      p.insert(0, [text]);
      doc.getXmlFragment(ROOTS.body).insert(0, [p]);
    });
    const reader = server.userToken("Ray", "reader");
    let hits: Hit[] = [];
    await until(
      async () => {
        hits = await search("zimmerw", reader);
        return hits.some((h) => h.id === "p-search-test");
      },
      "the new paragraph to be found",
      5000,
    );
    const hit = hits.find((h) => h.id === "p-search-test") as Hit;
    expect(hit.kind).toBe("text");
    const [s, e] = hit.marks[0] as [number, number];
    expect(hit.snippet.slice(s, e)).toBe("Zimmerwald");
    provider.destroy();
  });

  it("searches comments for members only, and refuses an empty or overlong query with the reason", async () => {
    const editor = server.userToken("Una", "editor");
    const { doc, provider } = nodeClient(server.wsUrl, "manifesto", { token: editor });
    await synced(provider);
    const id = newThreadId();
    doc.transact(() =>
      createThread(doc, id, { kind: "entry", app: "app-q-1" }, "Una", "Kautsky quoted here?"),
    );
    await until(
      async () => (await search("kautsky", editor)).some((h) => h.kind === "comment"),
      "the comment",
    );
    await publish(server);
    // A visitor of the published edition finds the text, but not the team's comments.
    expect((await search("kautsky", null)).filter((h) => h.kind === "comment")).toEqual([]);
    expect((await search("titanic", null)).length).toBeGreaterThan(0);

    const empty = await fetch(`${server.url}/api/editions/manifesto/search?q=`);
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: string }).error).toMatch(/needs a query/);
    const long = await fetch(`${server.url}/api/editions/manifesto/search?q=${"a".repeat(201)}`);
    expect(long.status).toBe(400);
    expect(((await long.json()) as { error: string }).error).toMatch(/at most 200 characters/);
    provider.destroy();
  });
});
