import { readFileSync, rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { witnessText } from "../../schema/witnessText.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { tempDir } from "../helpers/server.ts";
import { cleanupAfterEach } from "../helpers/suite.ts";
import { syntheticWitnessFile } from "../helpers/synthetic.ts";

const cleanup = cleanupAfterEach();

describe("a witness's own text", () => {
  it("is given with ?text=own where the witness has a document, the recorded text where it has none", async () => {
    const server = await cleanup.server();
    const dir = tempDir();
    cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
    const icc = witnessText(manifestoDoc(), "ICC");
    if (!icc.ok) throw new Error(icc.reason);
    const file = syntheticWitnessFile(icc.text, dir, "tests/server/witness-own-text.test.ts");
    const auth = { authorization: `Bearer ${server.token("editor")}` };
    const api = `${server.url}/api/editions/manifesto/witnesses`;
    const imported = await fetch(`${api}/SYN?filename=synthetic.txt`, {
      method: "POST",
      headers: auth,
      body: readFileSync(file),
    });
    expect(imported.status).toBe(201);
    const text = async (path: string) => {
      const res = await fetch(`${api}/${path}`, { headers: auth });
      return [res.status, await res.text()] as const;
    };
    // Before collation the edition records nothing of SYN; its own document has its two paragraphs.
    const [, recorded] = await text("SYN");
    const [status, own] = await text("SYN?text=own");
    expect(status).toBe(200);
    expect(recorded).not.toContain("heroic struggle");
    expect(own.split("\n\n")).toHaveLength(2);
    expect(own).toContain("heroic struggle");
    expect(own).toContain("the civilized world");
    // RU has no document of its own: the text its entries record, either way.
    expect(await text("RU?text=own")).toEqual(await text("RU"));
    // An unknown witness is refused either way, saying which.
    const [unknown, body] = await text("XYZ?text=own");
    expect([unknown, JSON.parse(body)]).toEqual([
      404,
      { error: 'unknown witness "XYZ" in edition "manifesto"' },
    ]);
  });
});
