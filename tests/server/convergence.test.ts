import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { randomEdit } from "../helpers/randomEdit.ts";
import { nodeClient, startTestServer, synced, type TestServer, until } from "../helpers/server.ts";
import { rng } from "../helpers/synthetic.ts";

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
