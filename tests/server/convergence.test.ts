import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { nodeClient, startTestServer, synced, type TestServer, until } from "../helpers/server.ts";
import { rng } from "../helpers/synthetic.ts";

function paragraphs(doc: Y.Doc): Y.XmlElement[] {
  return doc
    .getXmlFragment("body")
    .toArray()
    .filter((el): el is Y.XmlElement => el instanceof Y.XmlElement && el.nodeName === "paragraph");
}

/** One random edit of the kind an editor makes: type, delete, split off a paragraph, or emphasise. */
function randomEdit(doc: Y.Doc, random: () => number): void {
  const paras = paragraphs(doc);
  const p = paras[Math.floor(random() * Math.min(paras.length, 6))];
  if (!p) return;
  const text = p.get(0);
  if (!(text instanceof Y.XmlText)) return;
  const len = text.length;
  const at = Math.floor(random() * (len + 1));
  const roll = random();
  if (roll < 0.5)
    text.insert(at, String.fromCharCode(97 + Math.floor(random() * 26)).repeat(1 + Math.floor(random() * 3)));
  else if (roll < 0.8 && len > 0)
    text.delete(Math.min(at, len - 1), Math.min(1 + Math.floor(random() * 4), len - Math.min(at, len - 1)));
  else if (roll < 0.9 && len > 2) text.format(Math.min(at, len - 2), 2, { em: {} });
  else {
    const fresh = new Y.XmlElement("paragraph");
    fresh.setAttribute("id", `p-r${Math.floor(random() * 1e9)}`);
    doc.getXmlFragment("body").insert(0, [fresh]);
    fresh.insert(0, [new Y.XmlText("new")]);
  }
}

describe("convergence over the real server", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  const seeds = [1, 2, 3, 20261122].map((n) => Number(process.env.VARIORUM_SEED ?? n));
  for (const seed of seeds) {
    it(`three replicas making random concurrent edits end identical (seed ${seed})`, async () => {
      const random = rng(seed);
      const clients = [0, 1, 2].map(() =>
        nodeClient(server.wsUrl, "manifesto", { token: server.token("editor") }),
      );
      try {
        await Promise.all(clients.map((c) => synced(c.provider)));
        for (let round = 0; round < 30; round++) {
          for (const c of clients) {
            if (random() < 0.7) randomEdit(c.doc, random);
          }
          // Now and then let the network breathe, so that edits interleave with deliveries.
          if (random() < 0.3) await new Promise((r) => setTimeout(r, Math.floor(random() * 10)));
        }
        const state = (d: Y.Doc) => d.getXmlFragment("body").toString();
        await until(
          () => clients.every((c) => state(c.doc) === state(clients[0]?.doc as Y.Doc)),
          `convergence (seed ${seed})`,
        );
        // And the server holds the same: a fresh client reads what the replicas agree on.
        const late = nodeClient(server.wsUrl, "manifesto", { token: server.token("editor") });
        await synced(late.provider);
        expect(state(late.doc), `seed ${seed}: replay with VARIORUM_SEED=${seed}`).toBe(
          state(clients[0]?.doc as Y.Doc),
        );
        late.provider.destroy();
      } finally {
        for (const c of clients) c.provider.destroy();
      }
    });
  }
});
