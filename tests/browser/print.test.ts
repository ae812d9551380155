import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import { placements } from "../../schema/apparatus.ts";
import { ROOTS } from "../../schema/layout.ts";
import { setPublicationSettings } from "../../schema/publication.ts";
import { schema } from "../../schema/schema.ts";
import { renderPdf } from "../../server/print.ts";
import { manifestoDoc } from "../helpers/edition.ts";

const squash = (s: string) => s.replace(/\s+/g, "").toLowerCase();
const words = (s: string) => s.trim().split(/\s+/);

/** The PDF's own text layer, page by page, as Debian's poppler-utils read it. */
function textLayer(pdf: string): string[] {
  const run = spawnSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
  if (run.error)
    throw new Error(`pdftotext could not run (apt-get install poppler-utils): ${run.error.message}`);
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.split("\f");
}

describe("the printed PDF, read back from its text layer", () => {
  const dir = mkdtempSync(join(tmpdir(), "variorum-pdf-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const numbering of ["continuous", "section"] as const) {
    it(`keys every apparatus entry to a line a reader can count, holding its lemma (${numbering} numbering)`, async () => {
      const ydoc = manifestoDoc();
      setPublicationSettings(ydoc, { includeProposed: false, lineNumbering: numbering });
      const body = yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(ROOTS.body), schema);
      // What a reader does not count: headings, notes of the ICC (and their label), the title.
      const uncounted: string[] = [];
      body.descendants((node) => {
        if (node.type.name === "heading") uncounted.push(squash(node.textContent));
        if (node.type.name === "block_note") {
          uncounted.push(squash(node.textContent));
          uncounted.push(squash(`Note of the ${node.attrs.resp ?? "editor"}`));
          return false;
        }
        return true;
      });
      const isUncounted = (line: string) => {
        const s = squash(line);
        return s === "" || uncounted.some((u) => u.includes(s));
      };
      const file = join(dir, `${numbering}.pdf`);
      await renderPdf(ydoc, file);
      const pages = textLayer(file);

      const lemmas = placements(body).filter((p) => p.lemma !== "");
      expect(lemmas.length).toBe(5);
      let checked = 0;
      let previousFive = 0;
      for (const page of pages) {
        const lines = page.split("\n");
        // Body lines carry their number in the margin at every fifth line: "35      The present state…".
        const numbered = lines
          .map((l, i) => ({ i, m: /^(\d+)\s{2,}\S/.exec(l) }))
          .filter((x) => x.m)
          .map((x) => ({ index: x.i, n: Number(x.m?.[1]) }));
        for (const { n } of numbered) {
          expect(n % 5, `margin number ${n}`).toBe(0);
          if (numbering === "continuous") {
            expect(n, "margin numbers run on by fives").toBe(previousFive + 5);
            previousFive = n;
          }
        }
        const text = (i: number) => (lines[i] ?? "").replace(/^\d+(?=\s{2,})/, "").trim();
        // The line numbered n on this page, counted from the nearest margin number as a reader would.
        const lineAt = (n: number): number => {
          const below = numbered.filter((x) => x.n <= n && n - x.n < 5).at(-1);
          const above = numbered.find((x) => x.n > n && x.n - n < 5);
          const from = below ?? above;
          if (!from) throw new Error(`no margin number near line ${n} on this page`);
          let i = from.index;
          let steps = Math.abs(n - from.n);
          const dir = below ? 1 : -1;
          while (steps > 0) {
            i += dir;
            if (!isUncounted(text(i))) steps--;
          }
          return i;
        };
        const foot = page.replace(/\s+/g, " ");
        for (const p of lemmas) {
          const w = words(p.lemma);
          const short = w.length <= 6 ? w.join(" ") : `${w.slice(0, 2).join(" ")} … ${w.slice(-2).join(" ")}`;
          const key = new RegExp(`(\\d+) ${short.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\]`).exec(foot);
          if (!key) continue;
          const n = Number(key[1]);
          const i = lineAt(n);
          // The lemma begins on that line: its first words are there, or run on from there to the next line.
          let next = i + 1;
          while (isUncounted(text(next)) && next < lines.length) next++;
          const two = `${text(i)} ${text(next)}`.replace(/\s+/g, " ");
          const start = w.slice(0, 3).join(" ");
          expect(two, `${p.id} keyed ${n}`).toContain(start);
          expect(two.indexOf(start), `${p.id}: its lemma starts on line ${n}`).toBeLessThan(text(i).length);
          checked++;
        }
      }
      expect(checked, "every lemma's key was found in the feet of the pages").toBe(5);
    });
  }
});
