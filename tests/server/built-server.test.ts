import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { exited, spawnServer } from "../helpers/process.ts";
import { tempDir } from "../helpers/server.ts";
import { cleanupAfterEach } from "../helpers/suite.ts";

const cleanup = cleanupAfterEach();

// `npm start` runs the bundle in dist/server, one folder deeper than the sources: every file the server
// reads from the repository (editions, client, reader assets) must still be found from there.
describe("the server built ahead of time (npm start)", () => {
  it("seeds the Manifesto and serves the workbench, the reading edition and its assets", async () => {
    const dataDir = tempDir();
    cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }));
    const started = await spawnServer(dataDir);
    cleanup.add(async () => {
      started.child.kill("SIGTERM");
      await exited(started.child);
    });
    const link = /(http:\/\/\S+\/claim\/\S+)/.exec(started.stdout)?.[1] as string;
    const claimed = await fetch(link, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ name: "Olga", password: "a long enough secret" }).toString(),
      redirect: "manual",
    });
    expect(claimed.status).toBe(303);
    const cookie = (claimed.headers.get("set-cookie") ?? "").split(";")[0] as string;
    const get = (path: string) => fetch(`${started.url}${path}`, { headers: { cookie } });

    const workbench = await get("/editions/manifesto");
    expect(workbench.status).toBe(200);
    expect(await workbench.text()).toContain("main.js");
    const reading = await get("/read/manifesto/");
    expect(reading.status).toBe(200);
    expect(await reading.text()).toContain("Manifesto");
    for (const asset of ["reader.css", "reader.js"]) {
      const res = await get(`/read/manifesto/${asset}`);
      expect(res.status, asset).toBe(200);
      expect((await res.text()).length, asset).toBeGreaterThan(100);
    }
  });
});
