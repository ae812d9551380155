import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ROOTS } from "../../schema/layout.ts";
import { until } from "../helpers/editorPage.ts";
import { nodeClient, startTestServer, synced, type TestServer } from "../helpers/server.ts";

interface Session {
  user: string | null;
  changes: number;
  kinds: string[];
  summary: { blocks: { id: string; added: string; removed: string; where: string | null }[] };
}

describe("the history as sessions", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.dispose());

  it("groups a sentence typed key by key into one session of its author, with its words and where they are", async () => {
    const { doc, provider } = nodeClient(server.wsUrl, "manifesto", {
      token: server.userToken("Vera", "editor"),
    });
    await synced(provider);
    const p = doc
      .getXmlFragment(ROOTS.body)
      .toArray()
      .find((c) => c instanceof Y.XmlElement && c.nodeName === "paragraph") as Y.XmlElement;
    const text = p.toArray().find((c) => c instanceof Y.XmlText) as Y.XmlText;
    const sentence = "In short, ";
    for (const [i, ch] of [...sentence].entries()) text.insert(i, ch); // one update per key, as typing
    const history = async () =>
      (await (await server.get("/api/editions/manifesto/history", "reader")).json()) as Session[];
    await until(async () => (await history())[0]?.changes === sentence.length, "the typed keys to be stored");
    const [session] = await history();
    expect(session?.user).toBe("Vera");
    expect(session?.kinds).toEqual(["text"]);
    expect(session?.summary.blocks).toEqual([
      expect.objectContaining({ id: String(p.getAttribute("id")), added: sentence, removed: "" }),
    ]);
    expect(session?.summary.blocks[0]?.where).toMatch(/By way of a preface, ¶ 1/);
    provider.destroy();
  });
});
