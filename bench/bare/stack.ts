/**
 * The bare stack measured beside Variorum in `npm run bench -- large`: the same text on
 * prosemirror-schema-basic, the stock @y/websocket-server's y-protocols server, and a page with a
 * y-prosemirror editor (bench/bare/client.ts, bundled here with esbuild).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { getYDoc, setupWSConnection } from "@y/websocket-server/utils";
import { build } from "esbuild";
import type { Node } from "prosemirror-model";
import { schema as basic } from "prosemirror-schema-basic";
import { WebSocketServer } from "ws";
import { prosemirrorToYXmlFragment } from "y-prosemirror";
import * as Y from "yjs";

/** The base text's textblocks as basic paragraphs and headings: the same words, nothing else. */
export function bareDoc(body: Node): Y.Doc {
  const blocks: Node[] = [];
  body.descendants((n) => {
    if (!n.isTextblock) return true;
    let text = "";
    n.forEach((c) => {
      if (c.isText) text += c.text;
    });
    const content = text ? basic.text(text) : null;
    blocks.push(
      n.type.name === "heading"
        ? basic.nodes.heading.create({ level: n.attrs.level }, content)
        : basic.nodes.paragraph.create(null, content),
    );
    return false;
  });
  const doc = new Y.Doc();
  prosemirrorToYXmlFragment(basic.nodes.doc.create(null, blocks), doc.getXmlFragment("body"));
  return doc;
}

export interface BareServer {
  url: string;
  close(): Promise<void>;
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>bare</title>
<style>body{margin:0;display:flex}#editor{flex:1;height:100vh;overflow:auto;font:16px/1.5 serif;padding:0 2em}</style>
<div id="editor"></div><script type="module" src="/client.js"></script>`;

/** Starts the stock server over rooms of the given states, serving the bare editor page at `/?room=`. */
export async function startBareServer(rooms: Record<string, Uint8Array>): Promise<BareServer> {
  const bundle = await build({
    entryPoints: [join(import.meta.dirname, "client.ts")],
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    write: false,
    logLevel: "warning",
  });
  const js = bundle.outputFiles[0]?.text ?? "";
  for (const [name, state] of Object.entries(rooms)) Y.applyUpdate(getYDoc(name), state);
  const http: Server = createServer((req, res) => {
    if (req.url?.startsWith("/client.js")) res.setHeader("content-type", "text/javascript").end(js);
    else res.setHeader("content-type", "text/html; charset=utf-8").end(PAGE);
  });
  const wss = new WebSocketServer({ noServer: true });
  http.on("upgrade", (req, socket, head) => {
    const docName = (req.url ?? "/").replace(/^\/sync\//, "").replace(/\?.*$/, "");
    wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req, { docName }));
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
