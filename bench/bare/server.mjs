// The bare stack's server as a plain Node process, for the server-start figure of `npm run bench -- large`:
// @y/websocket-server's y-protocols server over one room, whose state (BARE_STATE, a Yjs update file) is
// loaded on first use, as Variorum loads a document on first use.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { getYDoc, setupWSConnection } from "@y/websocket-server/utils";
import { WebSocketServer } from "ws";
import * as Y from "yjs";

let loaded = false;
const http = createServer((_req, res) => res.end("bare"));
const wss = new WebSocketServer({ noServer: true });
http.on("upgrade", (req, socket, head) => {
  const docName = (req.url ?? "/").replace(/^\/sync\//, "").replace(/\?.*$/, "");
  if (!loaded && process.env.BARE_STATE) {
    Y.applyUpdate(getYDoc(docName), readFileSync(process.env.BARE_STATE));
    loaded = true;
  }
  wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req, { docName }));
});
http.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`bare server listening on port ${http.address().port}`);
});
process.on("SIGTERM", () => http.close(() => process.exit(0)));
