import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import type * as Y from "yjs";
import { decide, placements, readEntry } from "../../schema/apparatus.ts";
import { collate } from "../../schema/collate.ts";
import { ROOTS } from "../../schema/layout.ts";
import { schema } from "../../schema/schema.ts";
import { getWitness } from "../../schema/witnesses.ts";
import { witnessText } from "../../schema/witnessText.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { tempDir } from "../helpers/server.ts";
import { cleanupAfterEach } from "../helpers/suite.ts";
import { jingErrors } from "../helpers/tei.ts";

const cleanup = cleanupAfterEach();

// Test data, not a witness of the edition: paragraphs 3 and 4 of the ICC text as a partial witness
// that a transcriber began with a bracketed remark, with three scripted changes (learnt, does not, a comma).
const REMARK =
  "[Transcriber's remark: the first two paragraphs of this copy are torn away; the text begins here.]";

function testWitness(): { file: string; p3: string; p4: string } {
  const icc = witnessText(manifestoDoc(), "ICC");
  if (!icc.ok) throw new Error(icc.reason);
  const blocks = icc.text.split("\n\n");
  const p3 = blocks.find((b) => b.startsWith("The Russian worker has learned")) as string;
  const p4 = blocks.find((b) => b.startsWith("But the proletarian must not complain")) as string;
  expect(p3).toContain("international proletariat and to see");
  expect(p4).toContain("doesn't present itself");
  const w3 = p3
    .replace("has learned", "has learnt")
    .replace("international proletariat and", "international proletariat, and");
  const w4 = p4.replace("doesn't present", "does not present");
  const file = `Title: Test witness (collation of a partial witness)\nPublication: tests/server/collation.test.ts\nDate: 2026\nAddress: tests/server/collation.test.ts\n---\n${REMARK}\n\n${w3}\n\n${w4}\n`;
  return { file, p3, p4 };
}

describe("collating a partial witness", () => {
  it("reports a bracketed remark as unaligned, covers only the paragraphs it aligns with, and classes spelling and contractions as orthographic", async () => {
    const server = await cleanup.server();
    const dir = tempDir();
    cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
    const { file, p3, p4 } = testWitness();
    const auth = { authorization: `Bearer ${server.token("editor")}` };
    const imported = await fetch(`${server.url}/api/editions/manifesto/witnesses/TST?filename=tst.txt`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/octet-stream" },
      body: file,
    });
    expect(imported.status, await imported.clone().text()).toBe(201);
    const collateNow = async () => {
      const res = await fetch(`${server.url}/api/editions/manifesto/witnesses/TST/collate`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: "{}",
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { created: number; unaligned: { text: string; near: string | null }[] };
    };
    const summary = await collateNow();
    const live = (await server.documents.get("manifesto"))?.ydoc as Y.Doc;
    const body = yXmlFragmentToProseMirrorRootNode(live.getXmlFragment(ROOTS.body), schema);
    const blockOf = (start: string) => {
      let id: string | null = null;
      body.descendants((n) => {
        if (n.isTextblock && id === null && n.textContent.startsWith(start)) id = n.attrs.id as string;
        return id === null;
      });
      return id as string | null;
    };
    const b1 = blockOf("Every conscious worker");
    const b3 = blockOf(p3.slice(0, 30));
    const b4 = blockOf(p4.slice(0, 30));

    // The remark is reported whole, as unaligned, and nowhere made an entry.
    expect(summary.unaligned).toEqual([{ text: REMARK, near: expect.any(String) }]);
    const entries = placements(body)
      .map((p) => ({ p, e: readEntry(live, p.id) }))
      .filter((x) => x.e && "TST" in x.e.readings);
    expect(entries.map((x) => x.p.blockId).every((id) => id === b3 || id === b4)).toBe(true);
    for (const x of entries) expect(x.e?.readings.TST?.text ?? "").not.toContain("Transcriber");
    // Coverage: the two paragraphs it aligns with, nothing else.
    expect([...(getWitness(live, "TST")?.coveredBlocks ?? [])].sort()).toEqual([b3, b4].sort());
    const text = await (await server.get("/api/editions/manifesto/witnesses/TST")).text();
    expect(text).not.toContain("Every conscious worker");
    expect(text).not.toContain("Transcriber");
    expect(b1).not.toBeNull();

    // learned / learnt and doesn't / does not: orthographic; the comma hangs on "proletariat".
    const byReading = (t: string) => entries.find((x) => x.e?.readings.TST?.text === t);
    expect(byReading("learnt")?.e?.type).toBe("orthographic");
    expect(byReading("learnt")?.p.lemma).toBe("learned");
    expect(byReading("does not")?.e?.type).toBe("orthographic");
    expect(byReading("does not")?.p.lemma).toBe("doesn't");
    const comma = byReading(",");
    expect(comma?.e?.type).toBe("punctuation");
    expect(body.textBetween(Math.max(0, (comma?.p.from ?? 0) - 11), comma?.p.from ?? 0)).toBe("proletariat");
    expect(summary.created).toBe(3);

    // Rejecting an entry and collating again: the decision stays, nothing doubles, coverage is recomputed.
    const learnt = byReading("learnt")?.p.id as string;
    decide(live, learnt, { status: "rejected" }, "rev", 1);
    const again = await collateNow();
    expect(again.created).toBe(2);
    expect((again as unknown as { alreadyDecided: number }).alreadyDecided).toBe(1);
    expect(readEntry(live, learnt)?.status).toBe("rejected");
    expect([...(getWitness(live, "TST")?.coveredBlocks ?? [])].sort()).toEqual([b3, b4].sort());
  });

  it("does not let a remark's common words anchor it in a paragraph the witness lacks", () => {
    const base = `${"Every conscious worker reflects on the destiny of the revolution and of the class. ".repeat(3)}\n\nThe Russian worker has learned to see himself as a soldier in the world army of the proletariat.`;
    const witness =
      "[Remark: the copy is torn; the beginning of the text is lost.]\n\nThe Russian worker has learnt to see himself as a soldier in the world army of the proletariat.";
    const c = collate(base, witness, { partial: true });
    expect(c.unaligned.map((u) => u.witness.text)).toEqual([
      "[Remark: the copy is torn; the beginning of the text is lost.]",
    ]);
    expect(c.variants.map((v) => [v.class, v.base.text, v.witness.text])).toEqual([
      ["orthographic", "learned", "learnt"],
    ]);
    // No equal stretch holds words of the first paragraph, or of the remark.
    for (const s of c.segments)
      if (s.kind === "equal") {
        expect(s.base.text).not.toContain("conscious");
        expect(s.witness.text).not.toContain("Remark");
      }
  });

  it("reports a remark before a short heading as unaligned, never as a reading of the heading", () => {
    const base =
      "By way of a preface\n\nEvery conscious worker has certainly reflected more than once on the destiny of our revolution.";
    const witness =
      "[Our correspondent sends the following]\n\nEvery conscious worker has certainly reflected more than once on the destiny of our revolution.";
    const c = collate(base, witness, { partial: true });
    expect(c.variants).toEqual([]);
    expect(c.unaligned.map((u) => u.witness.text)).toEqual(["[Our correspondent sends the following]"]);
    expect(c.lacunae.map((l) => l.base.text)).toEqual(["By way of a preface"]);
  });

  it("does not cover a paragraph the witness stops inside, so its missing words are never given as the witness's", async () => {
    const server = await cleanup.server();
    const icc = witnessText(manifestoDoc(), "ICC");
    if (!icc.ok) throw new Error(icc.reason);
    const p1 = icc.text.split("\n\n").find((b) => b.startsWith("Every conscious worker")) as string;
    const kept = p1.slice(0, p1.indexOf(" at all stages of its development"));
    const auth = { authorization: `Bearer ${server.token("editor")}` };
    const file = `Title: Test witness (stops inside a paragraph)\nPublication: tests/server/collation.test.ts\nDate: 2026\nAddress: tests/server/collation.test.ts\n---\n${kept}.\n`;
    const imported = await fetch(`${server.url}/api/editions/manifesto/witnesses/TSP?filename=tsp.txt`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/octet-stream" },
      body: file,
    });
    expect(imported.status, await imported.clone().text()).toBe(201);
    const res = await fetch(`${server.url}/api/editions/manifesto/witnesses/TSP/collate`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    const text = await (await server.get("/api/editions/manifesto/witnesses/TSP")).text();
    expect(text).not.toContain("at all stages of its development");
    expect(
      getWitness((await server.documents.get("manifesto"))?.ydoc as Y.Doc, "TSP")?.coveredBlocks,
    ).toEqual([]);
  });
  it("enters a phrase moved within a paragraph as one transposition on the stretch between its two places", async () => {
    const server = await cleanup.server();
    const icc = witnessText(manifestoDoc(), "ICC");
    if (!icc.ok) throw new Error(icc.reason);
    const p3 = icc.text.split("\n\n").find((b) => b.startsWith("The Russian worker has learned")) as string;
    const moved = p3
      .replace("himself as a soldier in", "himself in")
      .replace("international proletariat and", "international proletariat as a soldier and");
    expect(moved).not.toBe(p3);
    const auth = { authorization: `Bearer ${server.token("editor")}` };
    const file = `Title: Test witness (a moved phrase)\nPublication: tests/server/collation.test.ts\nDate: 2026\nAddress: tests/server/collation.test.ts\n---\n${moved}\n`;
    const imported = await fetch(`${server.url}/api/editions/manifesto/witnesses/TSM?filename=tsm.txt`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/octet-stream" },
      body: file,
    });
    expect(imported.status, await imported.clone().text()).toBe(201);
    const res = await fetch(`${server.url}/api/editions/manifesto/witnesses/TSM/collate`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    const live = (await server.documents.get("manifesto"))?.ydoc as Y.Doc;
    const body = yXmlFragmentToProseMirrorRootNode(live.getXmlFragment(ROOTS.body), schema);
    const entries = placements(body)
      .map((p) => ({ p, e: readEntry(live, p.id) }))
      .filter((x) => x.e && "TSM" in x.e.readings);
    expect(entries.map((x) => [x.e?.type, x.p.lemma, x.e?.readings.TSM?.text])).toEqual([
      [
        "transposition",
        "as a soldier in the world army of the international proletariat",
        "in the world army of the international proletariat as a soldier",
      ],
    ]);
    // The TEI export carries it as one app and stays valid.
    const xml = await (await server.get("/api/editions/manifesto/tei")).text();
    expect(xml).toMatch(
      /<app [^>]*type="transposition"[^>]*><lem wit="#ICC">as a soldier in the world army of the international proletariat<\/lem><rdg wit="#TSM"[^>]*>(<witStart\/>)?in the world army of the international proletariat as a soldier/,
    );
    expect(jingErrors(xml)).toEqual([]);
  });
  it("takes the near-match threshold as an option: Zinoviev/Zinovyev is orthographic by default, substantive with it off; a bad value is refused", async () => {
    const server = await cleanup.server();
    const icc = witnessText(manifestoDoc(), "ICC");
    if (!icc.ok) throw new Error(icc.reason);
    const p = icc.text.split("\n\n").find((b) => b.includes("Zinoviev")) as string;
    const auth = { authorization: `Bearer ${server.token("editor")}` };
    // Test data: the paragraph with the name transliterated otherwise, as other translations spell it.
    const file = `Title: Test witness (a transliteration)\nPublication: tests/server/collation.test.ts\nDate: 2026\nAddress: tests/server/collation.test.ts\n---\n${p.replace("Zinoviev", "Zinovyev")}\n`;
    const imported = await fetch(`${server.url}/api/editions/manifesto/witnesses/TSN?filename=tsn.txt`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/octet-stream" },
      body: file,
    });
    expect(imported.status, await imported.clone().text()).toBe(201);
    const collateWith = (body: unknown) =>
      fetch(`${server.url}/api/editions/manifesto/witnesses/TSN/collate`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const live = () => server.opened("manifesto").ydoc;
    const typeOfName = () => {
      const id = [...live().getMap(ROOTS.apparatus).keys()].find(
        (k) => readEntry(live(), k)?.readings.TSN?.text === "Zinovyev",
      );
      return id ? readEntry(live(), id)?.type : null;
    };
    expect((await collateWith({})).status).toBe(200);
    expect(typeOfName()).toBe("orthographic");
    expect((await collateWith({ nearMatch: 0 })).status).toBe(200);
    expect(typeOfName()).toBe("substantive");
    const bad = await collateWith({ nearMatch: "close" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe(
      'nearMatch must be a number from 0 to 1, not "close"',
    );
  });
  it("enters two witnesses' readings at one place in one entry, whichever is collated first, and a new collation of one keeps the other's", async () => {
    const icc = witnessText(manifestoDoc(), "ICC");
    if (!icc.ok) throw new Error(icc.reason);
    const p3 = icc.text.split("\n\n").find((b) => b.startsWith("The Russian worker has learned")) as string;
    // Test data: paragraph 3 with "learnt" in both witnesses, and "fighter" for "soldier" in one.
    const texts: Record<string, string> = {
      TSA: p3.replace("has learned", "has learnt"),
      TSB: p3.replace("has learned", "has learnt").replace("a soldier", "a fighter"),
    };
    const groups = async (order: string[]) => {
      const server = await cleanup.server();
      const auth = { authorization: `Bearer ${server.token("editor")}` };
      const collate = async (s: string) => {
        const res = await fetch(`${server.url}/api/editions/manifesto/witnesses/${s}/collate`, {
          method: "POST",
          headers: { ...auth, "content-type": "application/json" },
          body: "{}",
        });
        expect(res.status).toBe(200);
      };
      for (const s of order) {
        const file = `Title: Test witness ${s}\nPublication: tests/server/collation.test.ts\nDate: 2026\nAddress: tests/server/collation.test.ts\n---\n${texts[s]}\n`;
        const res = await fetch(`${server.url}/api/editions/manifesto/witnesses/${s}?filename=${s}.txt`, {
          method: "POST",
          headers: { ...auth, "content-type": "application/octet-stream" },
          body: file,
        });
        expect(res.status, await res.clone().text()).toBe(201);
        await collate(s);
      }
      // Collating the first again (as after a correction) leaves the other's reading where it was.
      await collate(order[0] as string);
      const live = (await server.documents.get("manifesto"))?.ydoc as Y.Doc;
      const body = yXmlFragmentToProseMirrorRootNode(live.getXmlFragment(ROOTS.body), schema);
      return placements(body)
        .map((p) => ({ p, e: readEntry(live, p.id) }))
        .filter((x) => x.e && ("TSA" in x.e.readings || "TSB" in x.e.readings))
        .map((x) => [
          x.p.lemma,
          x.e?.type,
          Object.entries(x.e?.readings ?? {})
            .map(([s, r]) => `${s}:${r.text}`)
            .sort(),
        ]);
    };
    const ab = await groups(["TSA", "TSB"]);
    expect(ab).toEqual([
      ["learned", "orthographic", ["TSA:learnt", "TSB:learnt"]],
      ["soldier", "substantive", ["TSB:fighter"]],
    ]);
    expect(await groups(["TSB", "TSA"])).toEqual(ab);
  });
});
