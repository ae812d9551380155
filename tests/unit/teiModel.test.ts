import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import { readingEdition } from "../../schema/html.ts";
import { exportLatex } from "../../schema/latex.ts";
import { ROOTS } from "../../schema/layout.ts";
import { plainMap } from "../../schema/positions.ts";
import { printDocument } from "../../schema/print.ts";
import { schema } from "../../schema/schema.ts";
import { exportTei } from "../../schema/tei.ts";
import { importTei } from "../../schema/teiImport.ts";
import { docToPlainBlocks } from "../../schema/textdoc.ts";
import { witnessText } from "../../schema/witnessText.ts";
import { jingErrors } from "../helpers/tei.ts";

/** Test input holding every node and mark the model grew for TEI: renditions, languages, page breaks, transcription. */
const xml = `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
<teiHeader><fileDesc><titleStmt><title>Model</title></titleStmt>
<publicationStmt><p>x</p></publicationStmt><sourceDesc><listWit><witness xml:id="A" n="base">A</witness><witness xml:id="b">B</witness></listWit></sourceDesc></fileDesc></teiHeader>
<text><front><p>Title page.</p></front><body>
<p><pb n="12" facs="https://example.org/scan/12.jpg"/>The <hi rend="smallcaps">Preface</hi> says <foreign xml:lang="la">lorem ipsum</foreign><note place="foot">See <hi rend="sup">th</hi>e <foreign xml:lang="de">Vorrede</foreign>.</note> and <app><lem wit="#A">more</lem><rdg wit="#b">less</rdg></app>.</p>
<lg type="stanza"><l n="1">Verse one</l><l n="2">verse two</l></lg>
<p>Then <unclear reason="faded">dim</unclear>, <supplied reason="omitted">lost</supplied> and <gap reason="illegible" extent="2" unit="word"/> end.</p>
<p><choice><orig>vvhere</orig><reg>where</reg></choice> now</p>
<sp who="#Horatio"><speaker>Horatio</speaker><p>Friends.</p></sp><stage type="exit">Exit.</stage>
</body></text>
</TEI>`;

describe("the nodes and marks TEI brought into the model, through every converter", () => {
  const r = importTei(xml, "model");
  if (!r.ok) throw new Error(r.errors.join("; "));
  const ydoc = r.doc;
  const doc = yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(ROOTS.body), schema);

  it("keeps them in the document after the trip through Yjs", () => {
    expect(doc.firstChild?.type.name).toBe("matter");
    const p = doc.child(1);
    expect(p?.firstChild?.type.name).toBe("page_break");
    expect(p?.firstChild?.attrs).toEqual({ n: "12", facs: "https://example.org/scan/12.jpg" });
    const marks = new Set<string>();
    doc.descendants((n) => {
      for (const m of n.marks) marks.add(`${m.type.name}:${JSON.stringify(m.attrs)}`);
    });
    expect([...marks]).toEqual(
      expect.arrayContaining([
        'hi:{"rend":"smallcaps"}',
        'foreign:{"lang":"la"}',
        'hi:{"rend":"sup"}',
        'foreign:{"lang":"de"}',
      ]),
    );
  });

  it("exports them as TEI (valid), and imports and exports again to the same bytes", () => {
    const out = exportTei(ydoc).xml;
    expect(out).toContain(
      '<pb n="12" facs="https://example.org/scan/12.jpg"/>The <hi rend="smallcaps">Preface</hi>',
    );
    expect(out).toContain('<foreign xml:lang="la">lorem ipsum</foreign>');
    expect(out).toContain('See <hi rend="sup">th</hi>e <foreign xml:lang="de">Vorrede</foreign>.');
    expect(out).toContain(
      '<p>Then <unclear reason="faded">dim</unclear>, <supplied reason="omitted">lost</supplied> and <gap reason="illegible" extent="2" unit="word"/> end.</p>',
    );
    expect(out).toContain(
      '<lg type="stanza">\n        <l n="1">Verse one</l>\n        <l n="2">verse two</l>\n      </lg>',
    );
    expect(out).toContain(
      '<sp who="#Horatio">\n        <speaker>Horatio</speaker>\n        <p>Friends.</p>\n      </sp>\n      <stage type="exit">Exit.</stage>',
    );
    expect(out).toContain("<text>\n    <front>\n      <p>Title page.</p>\n    </front>\n    <body>");
    expect(jingErrors(out)).toEqual([]);
    const again = importTei(out, "model");
    if (!again.ok) throw new Error(again.errors.join("; "));
    expect(exportTei(again.doc).xml).toBe(out);
  });

  it("shows them in the reading edition and the print page, words intact", () => {
    const site = readingEdition(ydoc, { css: "", js: "" });
    const html = site.map((f) => f.content).join("\n");
    expect(html).toContain(
      '<span class="pb" data-n="12" role="note" aria-label="page break before page 12"><a href="https://example.org/scan/12.jpg">p. 12</a></span>',
    );
    expect(html).toContain('<span class="hi" data-rend="smallcaps">Preface</span>');
    expect(html).toContain('<span class="foreign" lang="la">lorem ipsum</span>');
    expect(html).toContain('<span class="unclear" title="unclear: faded">dim</span>');
    expect(html).toContain('<span class="supplied" title="supplied: omitted">lost</span>');
    expect(html).toContain('<span class="gap" title="gap: illegible: 2 word">[…]</span>');
    expect(html).toContain(
      '<div class="lg"><p class="l cov-A cov-b" data-n="1"><span class="base-run">Verse one</span></p><p class="l cov-A cov-b" data-n="2"><span class="base-run">verse two</span></p></div>',
    );
    expect(html).toContain(
      '<div class="sp"><p class="speaker"><span class="base-run">Horatio</span></p><p class="cov-A cov-b"><span class="base-run">Friends.</span></p></div>\n<p class="stage cov-A cov-b"><span class="base-run">Exit.</span></p>',
    );
    expect(html).toContain(
      '<span class="choice" data-kind="orig" data-alt-kind="reg" title="reg: where"><span class="shown">vvhere</span><span class="alt">where</span></span>',
    );
    expect(html).toContain('<input type="checkbox" name="choice" id="choice">');
    expect(html).toContain(
      '<div class="matter front"><p class="cov-A cov-b"><span class="base-run">Title page.</span></p></div>',
    );
    const print = printDocument(ydoc);
    expect(print).toContain(
      '<p class="text">Horatio</p>\n<p class="text">Friends.</p>\n<p class="text">Exit.</p>',
    );
    expect(print).toContain('<p class="text l">Verse one</p>\n<p class="text l">verse two</p>');
    expect(print).toContain("[lost]");
    expect(print).toContain('<span class="hi" data-rend="smallcaps">Preface</span>');
    expect(print).toContain('<span lang="la">lorem ipsum</span>');
    expect(print).toContain('class="pb" data-n="12"');
  });

  it("leaves them out of witness texts and plain text, which hold words only, and keeps every word", () => {
    // A gap holds no words: the spaces on either side of it stay, as the source has them.
    const second =
      "Verse one\n\nverse two\n\nThen dim, lost and  end.\n\nvvhere now\n\nHoratio\n\nFriends.\n\nExit.";
    expect(witnessText(ydoc, "b")).toMatchObject({
      ok: true,
      text: `Title page.\n\nThe Preface says lorem ipsum and less.\n\n${second}`,
    });
    expect(plainMap(doc).text).toBe(`Title page.\n\nThe Preface says lorem ipsum and more.\n\n${second}`);
    expect(docToPlainBlocks(doc).map((b) => b.text)).toEqual([
      "Title page.",
      "The Preface says lorem ipsum and more.",
      ...second.split("\n\n"),
    ]);
  });

  it("typesets them with XeLaTeX and reledmac (small capitals, superscript, the page in the margin)", () => {
    const source = exportLatex(ydoc);
    expect(source).toContain("\\ledrightnote{p. 12}");
    expect(source).toContain("\\textsc{Preface}");
    expect(source).toContain("Then dim, [lost] and [\\ldots] end.");
    expect(source).toContain("\\pstart\nVerse one\n\\pend\n");
    expect(source).toContain(
      "\\pstart\nHoratio\n\\pend\n\n\\pstart\nFriends.\n\\pend\n\n\\pstart\nExit.\n\\pend",
    );
    const dir = mkdtempSync(join(tmpdir(), "variorum-tex-model-"));
    try {
      writeFileSync(join(dir, "edition.tex"), source);
      // reledmac places marginal notes from what its first run wrote down: typeset twice.
      const typeset = () =>
        spawnSync("xelatex", ["-interaction=nonstopmode", "-halt-on-error", "edition.tex"], {
          cwd: dir,
          encoding: "utf8",
        });
      typeset();
      const run = typeset();
      if (run.error) throw new Error(`xelatex could not run: ${run.error.message}`);
      const log = readFileSync(join(dir, "edition.log"), "utf8");
      expect(
        run.status,
        log
          .split("\n")
          .filter((l) => l.startsWith("!"))
          .join("\n"),
      ).toBe(0);
      const layer = spawnSync("pdftotext", ["edition.pdf", "-"], { cwd: dir, encoding: "utf8" });
      expect(layer.stdout).toMatch(/lorem ipsum/);
      expect(layer.stdout).toMatch(/p\. 12/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
