import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ROOT_NAMES } from "../../schema/layout.ts";
import { MARK_NAMES, NODE_NAMES } from "../../schema/schema.ts";
import { checkUpdate } from "../../server/updateCheck.ts";

const rules = { maxBytes: 1024, roots: ROOT_NAMES, nodeNames: NODE_NAMES, markNames: MARK_NAMES };

function updateOf(change: (doc: Y.Doc) => void, base?: Y.Doc): { server: Y.Doc; update: Uint8Array } {
  const server = base ?? new Y.Doc();
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  const sv = Y.encodeStateVector(client);
  change(client);
  return { server, update: Y.encodeStateAsUpdate(client, sv) };
}

describe("the check of incoming updates", () => {
  it("accepts a paragraph typed into the body", () => {
    const { server, update } = updateOf((d) => {
      const p = new Y.XmlElement("paragraph");
      d.getXmlFragment("body").insert(0, [p]);
      p.insert(0, [new Y.XmlText("hello")]);
    });
    expect(checkUpdate(server, update, rules)).toMatchObject({ ok: true });
  });

  it("refuses an element the schema does not know, naming it", () => {
    const { server, update } = updateOf((d) =>
      d.getXmlFragment("body").insert(0, [new Y.XmlElement("script")]),
    );
    expect(checkUpdate(server, update, rules)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('unknown node type "script"'),
    });
  });

  it("refuses a root outside the edition's layout", () => {
    const { server, update } = updateOf((d) => d.getMap("junk").set("a", 1));
    expect(checkUpdate(server, update, rules)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('unknown root "junk"'),
    });
  });

  it("refuses an unknown mark", () => {
    const { server, update } = updateOf((d) => {
      const t = new Y.XmlText("x");
      const p = new Y.XmlElement("paragraph");
      d.getXmlFragment("body").insert(0, [p]);
      p.insert(0, [t]);
      t.format(0, 1, { blink: {} });
    });
    expect(checkUpdate(server, update, rules)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('unknown mark "blink"'),
    });
  });

  it("refuses an update that depends on structs the server lacks, instead of keeping it pending", () => {
    const client = new Y.Doc();
    client.getXmlFragment("body").insert(0, [new Y.XmlElement("paragraph")]);
    const sv = Y.encodeStateVector(client);
    client.getXmlFragment("body").insert(1, [new Y.XmlElement("paragraph")]);
    const second = Y.encodeStateAsUpdate(client, sv);
    const server = new Y.Doc();
    expect(checkUpdate(server, second, rules)).toMatchObject({
      ok: false,
      missing: true,
      reason: expect.stringContaining("skips structs"),
    });
  });

  it("refuses an update over the size limit and one that cannot be decoded", () => {
    const server = new Y.Doc();
    expect(checkUpdate(server, new Uint8Array(2000), rules)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("exceeds the limit"),
    });
    expect(checkUpdate(server, new Uint8Array([1, 1, 200, 3, 7, 7]), rules)).toMatchObject({ ok: false });
  });
});
