import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  createThread,
  plainText,
  readThreads,
  reply,
  resolveTextTarget,
  setThreadStatus,
  textTarget,
} from "../../schema/comments.ts";
import { manifestoDoc } from "../helpers/edition.ts";

function firstText(doc: Y.Doc): Y.XmlText {
  const p = doc.getXmlFragment("body").get(1) as Y.XmlElement;
  return p.get(0) as Y.XmlText;
}

function commented(doc: Y.Doc, id: string): string | null {
  const t = readThreads(doc).find((x) => x.id === id)?.target;
  if (t?.kind !== "text") return null;
  const at = resolveTextTarget(doc, t);
  return at ? plainText(at.type as Y.Text).slice(at.start, at.end) : null;
}

describe("comment threads", () => {
  it("stay attached to their words while the text around them changes", () => {
    const doc = manifestoDoc();
    const text = firstText(doc);
    const from = plainText(text).indexOf("titanic struggle");
    createThread(
      doc,
      "c-1",
      textTarget(text, from, from + "titanic struggle".length),
      "rita",
      "Is this the French word?",
      1,
    );
    text.insert(0, "Indeed, ");
    text.insert(plainText(text).indexOf("titanic"), "truly ");
    text.insert(plainText(text).indexOf(" that it is undertaking"), " (sic)");
    expect(commented(doc, "c-1")).toBe("titanic struggle");
  });

  it("show as detached when their words are deleted, and are never moved to other words", () => {
    const doc = manifestoDoc();
    const text = firstText(doc);
    const from = plainText(text).indexOf("titanic struggle");
    createThread(doc, "c-1", textTarget(text, from, from + 16), "rita", "Check this.", 1);
    text.delete(from - 1, 17);
    expect(commented(doc, "c-1")).toBeNull();
    const thread = readThreads(doc)[0];
    expect(thread?.target).toMatchObject({ kind: "text", quote: "titanic struggle" });
  });

  it("keep both replies when two people answer at once, and record who resolved and reopened", () => {
    const a = manifestoDoc();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    createThread(
      a,
      "c-1",
      { kind: "entry", app: "app-ru-1" },
      "rita",
      "Is this passage the same paragraph?",
      1,
    );
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    reply(a, "c-1", "ann", "Yes.", 2);
    reply(b, "c-1", "ben", "Not quite.", 3);
    setThreadStatus(b, "c-1", "resolved", "ben", 4);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    for (const doc of [a, b]) {
      const [t] = readThreads(doc);
      expect(t?.messages.map((m) => m.author).sort()).toEqual(["ann", "ben", "rita"]);
      expect(t).toMatchObject({
        status: "resolved",
        statusBy: "ben",
        target: { kind: "entry", app: "app-ru-1" },
      });
    }
    setThreadStatus(a, "c-1", "open", "rita", 5);
    expect(readThreads(a)[0]).toMatchObject({ status: "open", statusBy: "rita" });
  });
});
