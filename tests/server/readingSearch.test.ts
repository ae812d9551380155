import MiniSearch from "minisearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { createThread } from "../../schema/comments.ts";
import { ROOTS } from "../../schema/layout.ts";
import { searchReading } from "../../schema/publish/searchHits.ts";
import { READING_SEARCH_OPTIONS, type ReadingSearchDoc } from "../../schema/publish/searchOptions.ts";
import { nodeClient, startTestServer, synced, type TestServer } from "../helpers/server.ts";

/** The served `search-index.js`, loaded as the page loads it. */
async function servedIndex(server: TestServer): Promise<MiniSearch<ReadingSearchDoc>> {
  const res = await server.get("/read/manifesto/search-index.js");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/javascript/);
  const sandbox: { variorumSearch?: unknown } = {};
  new Function("self", await res.text())(sandbox);
  return MiniSearch.loadJS(sandbox.variorumSearch as never, READING_SEARCH_OPTIONS);
}

describe("the reading edition's search and glossary page over HTTP", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it("serves the index and the search script beside the pages", async () => {
    expect(
      searchReading(await servedIndex(server), "советская")[0]?.parts.some(
        (p) => p.mark && p.text === "Советская",
      ),
    ).toBe(true);
    const script = await server.get("/read/manifesto/reader-search.js");
    expect(script.status).toBe(200);
    expect(await script.text()).toContain("variorumSearch");
    const page = await (await server.get("/read/manifesto/")).text();
    expect(page).toContain('<script src="reader-search.js" defer></script>');
  });

  it("follows the edition: an editor's new words are found, a comment never is, and authority ids show as links", async () => {
    expect(searchReading(await servedIndex(server), "zebrawords")).toEqual([]);
    const client = nodeClient(server.wsUrl, "manifesto", { token: server.token("editor") });
    await synced(client.provider);
    const entry = client.doc.getMap<Y.Map<unknown>>(ROOTS.glossary).get("gl-kronstadt") as Y.Map<unknown>;
    client.doc.transact(() => {
      (entry.get("definition") as Y.Text).insert(0, "Zebrawords. ");
      // A test value that fits GeoNames' pattern, not Kronstadt's id.
      entry.set("geonames", "1000004");
      entry.set("gnd", "not an id");
      createThread(client.doc, "c-zebra", { kind: "entry", app: "app-q-1" }, "Ann", "zebrawords in private");
    });
    let hits: ReturnType<typeof searchReading> = [];
    await expect
      .poll(async () => {
        hits = searchReading(await servedIndex(server), "zebrawords");
        return hits.map((h) => h.href);
      })
      .toEqual(["glossary.html#gl-kronstadt"]);
    const glossary = await (await server.get("/read/manifesto/glossary.html")).text();
    const kronstadt = glossary.slice(
      glossary.indexOf('<article id="gl-kronstadt"'),
      glossary.indexOf("</article>", glossary.indexOf('<article id="gl-kronstadt"')),
    );
    expect(kronstadt).toContain(
      '<p class="ids">GeoNames <a href="https://www.geonames.org/1000004">1000004</a></p>',
    );
    // The id that breaks its pattern is not shown, and the entry still is.
    expect(kronstadt).not.toContain("not an id");
    client.provider.destroy();
  });
});
