import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { decide, readEntry, setReading } from "../../schema/apparatus.ts";
import { exportLatex } from "../../schema/latex.ts";
import { printDocument } from "../../schema/print.ts";
import { exportTei } from "../../schema/tei.ts";
import { importTei } from "../../schema/teiImport.ts";
import { ROOT } from "../helpers/paths.ts";
import { nodeClient, startTestServer, synced, type TestServer, until } from "../helpers/server.ts";
import { danglingPointers, jingErrors } from "../helpers/tei.ts";

/** The `rdg`s of one `app` in a TEI file: wit, type (the reading's decision), resp. */
function rdgsOf(xml: string, appId: string): { wit: string; type: string; resp: string }[] {
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  const apps = doc.getElementsByTagName("app");
  for (let i = 0; i < apps.length; i++) {
    const app = apps.item(i) as Element;
    if (app.getAttribute("xml:id") !== appId) continue;
    const out: { wit: string; type: string; resp: string }[] = [];
    const rdgs = app.getElementsByTagName("rdg");
    for (let j = 0; j < rdgs.length; j++) {
      const r = rdgs.item(j) as Element;
      out.push({
        wit: r.getAttribute("wit") ?? "",
        type: r.getAttribute("type") ?? "",
        resp: r.getAttribute("resp") ?? "",
      });
    }
    return out;
  }
  throw new Error(`no app ${appId} in the TEI`);
}

/** Deletes the words of an entry's lemma from the body, as an editor pressing Delete over them would. */
function deleteLemma(doc: Y.Doc, appId: string): string {
  let deleted = "";
  const visit = (node: Y.XmlElement | Y.XmlFragment) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) {
        let offset = 0;
        const runs: { at: number; length: number; text: string }[] = [];
        for (const op of child.toDelta() as {
          insert: unknown;
          attributes?: Record<string, { app?: string }>;
        }[]) {
          const length = typeof op.insert === "string" ? op.insert.length : 1;
          const isLemma = Object.entries(op.attributes ?? {}).some(
            ([k, v]) => k.startsWith("lemma") && v?.app === appId,
          );
          if (isLemma && typeof op.insert === "string") runs.push({ at: offset, length, text: op.insert });
          offset += length;
        }
        for (const r of runs.reverse()) {
          child.delete(r.at, r.length);
          deleted = r.text + deleted;
        }
      } else if (child instanceof Y.XmlElement) visit(child);
    }
  };
  visit(doc.getXmlFragment("body"));
  return deleted;
}

describe("publishing what the editors decided", () => {
  let server: TestServer;
  const live = () => {
    return server.opened("manifesto").ydoc;
  };
  const send = (path: string, method: string, role: "owner" | "editor" | "reviewer", body: unknown) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${server.token(role)}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it("records a decision per reading: deciding one witness's reading leaves the entry's others as they were", async () => {
    const editor = nodeClient(server.wsUrl, "manifesto", { token: server.token("editor") });
    await synced(editor.provider);
    // app-ru-2 reads RU (accepted in the seed); the editor adds what WD and Q read there, undecided.
    editor.doc.transact(() => {
      setReading(editor.doc, "app-ru-2", "WD", { kind: "om", text: "" });
      setReading(editor.doc, "app-ru-2", "Q", { kind: "text", text: "The Russian working class is weak" });
    });
    await until(
      () => "Q" in (readEntry(live(), "app-ru-2")?.readings ?? {}),
      "the readings reach the server",
    );
    // Two reviewers decide two readings at once, neither seeing the other's decision first.
    const rita = nodeClient(server.wsUrl, "manifesto", { token: server.userToken("rita", "reviewer") });
    const sam = nodeClient(server.wsUrl, "manifesto", { token: server.userToken("sam", "reviewer") });
    await Promise.all([synced(rita.provider), synced(sam.provider)]);
    decide(rita.doc, "app-ru-2", { status: "rejected", sigla: ["WD"] }, "rita", 1000);
    decide(sam.doc, "app-ru-2", { status: "accepted", sigla: ["Q"] }, "sam", 2000);
    await until(
      () => readEntry(live(), "app-ru-2")?.decisions.Q?.status === "accepted",
      "both decisions arrive",
    );
    await until(
      () => readEntry(live(), "app-ru-2")?.decisions.WD?.status === "rejected",
      "both decisions arrive",
    );
    const entry = readEntry(live(), "app-ru-2");
    expect(entry?.decisions).toEqual({
      RU: { status: "accepted", by: null, at: 0 },
      WD: { status: "rejected", by: "rita", at: 1000 },
      Q: { status: "accepted", by: "sam", at: 2000 },
    });
    expect(entry?.status).toBe("accepted");
    // Rita takes hers back to proposed: only WD's reading changes, and the entry is proposed again.
    decide(rita.doc, "app-ru-2", { status: "proposed", sigla: ["WD"] }, "rita", 3000);
    await until(
      () => readEntry(live(), "app-ru-2")?.decisions.WD?.status === "proposed",
      "the change arrives",
    );
    expect(readEntry(live(), "app-ru-2")?.decisions.Q).toEqual({ status: "accepted", by: "sam", at: 2000 });
    expect(readEntry(live(), "app-ru-2")?.status).toBe("proposed");

    // The TEI types every reading with its own decision and who made it; it is valid.
    const xml = await (await server.get("/api/editions/manifesto/tei")).text();
    expect(rdgsOf(xml, "app-ru-2")).toEqual([
      { wit: "#Q", type: "accepted", resp: "#resp-sam" },
      { wit: "#RU", type: "accepted", resp: "" },
      { wit: "#WD", type: "proposed", resp: "#resp-rita" },
    ]);
    expect(xml).toContain('<app xml:id="app-ru-2" type="lexical" subtype="proposed">');
    expect(xml).toContain('<respStmt xml:id="resp-sam"><resp>decisions</resp><name>sam</name></respStmt>');
    expect(jingErrors(xml)).toEqual([]);
    expect(danglingPointers(xml)).toEqual([]);
    // A rejected reading is not in the TEI; its entry's other readings are.
    decide(rita.doc, "app-ru-2", { status: "rejected", sigla: ["WD"] }, "rita", 4000);
    await until(
      () => readEntry(live(), "app-ru-2")?.decisions.WD?.status === "rejected",
      "the change arrives",
    );
    const after = await (await server.get("/api/editions/manifesto/tei")).text();
    expect(rdgsOf(after, "app-ru-2").map((r) => r.wit)).toEqual(["#Q", "#RU"]);
    for (const c of [editor, rita, sam]) c.provider.destroy();
  });

  it("prints accepted readings only, says what it left out, and prints proposed ones marked when the owner says so", async () => {
    const rita = nodeClient(server.wsUrl, "manifesto", { token: server.userToken("rita", "reviewer") });
    await synced(rita.provider);
    // app-q-1's only reading goes back to proposed: the entry awaits review.
    decide(rita.doc, "app-q-1", { status: "proposed" }, "rita", 5000);
    await until(() => readEntry(live(), "app-q-1")?.status === "proposed", "the decision arrives");
    const page = await (await server.get("/read/manifesto/")).text();
    expect(page).not.toContain('id="app-q-1"');
    expect(page).toContain('id="app-ru-1"');
    expect(page).not.toContain("[proposed]");
    expect(page).toContain("1 entry left out: awaiting review");
    // app-ru-2 is printed with its accepted readings only (RU, Q), never the rejected WD.
    const ru2 = page.slice(
      page.indexOf('id="app-ru-2"'),
      page.indexOf("permalink", page.indexOf('id="app-ru-2"')),
    );
    expect(ru2).toContain('data-wit="RU"');
    expect(ru2).not.toContain('data-wit="WD"');
    for (const out of [printDocument(live()), exportLatex(live())]) {
      expect(out).toContain("1 entry left out: awaiting review");
      expect(out).not.toContain("The Socialists of all countries");
    }
    const settings = (await (await server.get("/api/editions/manifesto/publication")).json()) as {
      leftOut: { id: string; reason: string }[];
    };
    expect(settings.leftOut).toEqual([
      { id: "app-q-1", lemma: expect.any(String), reason: "awaiting review" },
    ]);

    // Only the owner may choose to print proposed readings; a bad setting is refused with a reason.
    expect(
      (await send("/api/editions/manifesto/publication", "PUT", "editor", { includeProposed: true })).status,
    ).toBe(403);
    const bad = await send("/api/editions/manifesto/publication", "PUT", "owner", { includeProposed: "yes" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "includeProposed is true or false" });
    const ok = await send("/api/editions/manifesto/publication", "PUT", "owner", { includeProposed: true });
    expect(ok.status).toBe(200);
    const marked = await (await server.get("/read/manifesto/")).text();
    expect(marked).toContain('id="app-q-1"');
    expect(marked).toMatch(/The Socialists of all countries[^<]*Q \[proposed\]/);
    expect(printDocument(live())).toContain("Q [proposed]");
    expect(exportLatex(live())).toContain("\\textit{Q} [proposed]");
    // The TEI keeps accepted and proposed readings whatever the setting, each typed.
    const xml = await (await server.get("/api/editions/manifesto/tei")).text();
    expect(rdgsOf(xml, "app-q-1")).toEqual([{ wit: "#Q", type: "proposed", resp: "#resp-rita" }]);
    await send("/api/editions/manifesto/publication", "PUT", "owner", { includeProposed: false });
    rita.provider.destroy();
  });

  it("keeps a detached entry whole: TEI carries it in standOff, the reading edition lists it in its report", async () => {
    const editor = nodeClient(server.wsUrl, "manifesto", { token: server.token("editor") });
    await synced(editor.provider);
    const words = deleteLemma(editor.doc, "app-ru-1");
    expect(words.startsWith("We have already observed")).toBe(true);
    const xml = await (async () => {
      let text = "";
      await until(
        () => false === live().getXmlFragment("body").toString().includes("We have already observed"),
        "the deletion arrives",
      );
      text = await (await server.get("/api/editions/manifesto/tei")).text();
      return text;
    })();
    const body = xml.slice(xml.indexOf("<body>"), xml.indexOf("</body>"));
    expect(body).not.toContain("app-ru-1");
    const standOff = xml.slice(xml.indexOf("<standOff>"));
    expect(standOff).toContain('<listApp type="detached">');
    expect(standOff).toContain(
      `<app xml:id="app-ru-1" type="lexical" subtype="accepted"><lem wit="#ICC">${words}</lem><rdg wit="#RU" type="accepted">`,
    );
    expect(jingErrors(xml)).toEqual([]);
    expect(danglingPointers(xml)).toEqual([]);
    // Importing that TEI keeps the entry detached, and exporting it again gives the same file.
    const imported = importTei(xml, "manifesto");
    if (!imported.ok) throw new Error(imported.errors.join("; "));
    expect(readEntry(imported.doc, "app-ru-1")?.recordedLemma).toBe(words);
    expect(exportTei(imported.doc, []).xml).toBe(exportTei(live(), []).xml);
    // The reading edition and the print edition list it in their report, not in the apparatus.
    const page = await (await server.get("/read/manifesto/")).text();
    expect(page).toContain('<li id="detached-app-ru-1" data-app="app-ru-1">');
    expect(page).not.toContain('id="app-ru-1"');
    expect(printDocument(live())).toContain('class="detached" data-app="app-ru-1"');
    expect(exportLatex(live())).toContain("app-ru-1: We have … the enemy.]");
    editor.provider.destroy();
  });

  it("exports one TEI through every door: the command line and HTTP give the same bytes after a version is named", async () => {
    const named = await send("/api/editions/manifesto/versions", "POST", "editor", {
      label: "sent to the press",
    });
    expect(named.status).toBe(201);
    const http = await (await server.get("/api/editions/manifesto/tei")).text();
    expect(http).toContain("sent to the press (named by editor-of-manifesto)</change>");
    const cli = spawnSync(process.execPath, [join(ROOT, "bin/variorum.mjs"), "export", "tei", "manifesto"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, VARIORUM_DATA: server.dataDir },
    });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toBe(http);
  });
});
