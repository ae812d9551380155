import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startTestServer, tempDir } from "../helpers/server.ts";
import { cleanupAfterEach } from "../helpers/suite.ts";

const cleanup = cleanupAfterEach();

describe("seeding from editions/", () => {
  it("does not bring back an edition its owner deleted, at the next start", async () => {
    const dataDir = tempDir();
    cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await startTestServer({ dataDir });
    const owner = first.token("owner");
    const res = await fetch(`${first.url}/api/editions/manifesto`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${owner}`, "content-type": "application/json" },
      body: JSON.stringify({ confirm: "manifesto" }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    await first.close();

    const second = await cleanup.server({ dataDir });
    expect((await fetch(`${second.url}/api/editions/manifesto`)).status).toBe(404);
    expect(second.log.lines.join("\n")).toMatch(
      /edition "manifesto" was deleted from this store; it is not seeded again/,
    );
  });
});
