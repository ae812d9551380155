import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportLatex, tex } from "../../schema/latex.ts";
import { manifestoDoc } from "../helpers/edition.ts";

describe("the reledmac export", () => {
  it("escapes everything LaTeX would read as a command", () => {
    expect(tex("50% of $5 & #1_a {x} ~ ^ \\input")).toBe(
      "50\\% of \\$5 \\& \\#1\\_a \\{x\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}input",
    );
  });

  it("keys the apparatus to its lemmas and compiles with XeLaTeX and reledmac", () => {
    const source = exportLatex(manifestoDoc());
    expect(source).toContain("\\beginnumbering");
    expect(source).toMatch(
      /\\edtext\{In this way, they become[^}]*\}\{\\lemma\{In this … the Socialists\.\}\\Afootnote\{The Socialists of all countries/,
    );
    expect(source).toContain("\\footnoteA{This is the KAI");
    const dir = mkdtempSync(join(tmpdir(), "variorum-tex-"));
    try {
      writeFileSync(join(dir, "edition.tex"), source);
      const run = spawnSync("xelatex", ["-interaction=nonstopmode", "-halt-on-error", "edition.tex"], {
        cwd: dir,
        encoding: "utf8",
      });
      if (run.error)
        throw new Error(
          `xelatex could not run (apt-get install texlive-xetex texlive-humanities): ${run.error.message}`,
        );
      const log = readFileSync(join(dir, "edition.log"), "utf8");
      expect(
        run.status,
        log
          .split("\n")
          .filter((l) => l.startsWith("!"))
          .join("\n"),
      ).toBe(0);
      expect(log).toMatch(/Output written on edition\.pdf \(\d+ pages/);
      // Read back from the PDF: margin numbers run by fives and never stand on a heading or a note.
      const layer = spawnSync("pdftotext", ["-layout", "edition.pdf", "-"], { cwd: dir, encoding: "utf8" });
      expect(layer.status, layer.stderr).toBe(0);
      const numbered = layer.stdout
        .split("\n")
        .map((l) => /^\s*(\d+)\s{2,}(\S.*)$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null);
      expect(numbered.length).toBeGreaterThan(20);
      numbered.forEach((m, i) => {
        expect(Number(m[1])).toBe(5 * (i + 1));
      });
      for (const m of numbered) {
        expect(m[2]).not.toMatch(/^To the communist comrades|^By way of a preface|^Note of the/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
