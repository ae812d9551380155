import { createServer, type IncomingHttpHeaders, request, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { parseTrustProxy } from "../../server/proxy.ts";
import type { TestServer } from "../helpers/server.ts";
import { cleanupAfterEach } from "../helpers/suite.ts";

const { server, add } = cleanupAfterEach();

/**
 * A reverse proxy as nginx is configured in the README: it forwards HTTP and websocket upgrades to the
 * server, appending the client's address to X-Forwarded-For. It listens on 127.0.0.1 and connects to
 * the server from there.
 */
async function startProxy(upstreamPort: number): Promise<{ port: number }> {
  const forwardedFor = (headers: IncomingHttpHeaders, client: string | undefined) =>
    [headers["x-forwarded-for"], client].filter(Boolean).join(", ");
  const proxy: Server = createServer((req, res) => {
    const upstream = request(
      {
        host: "127.0.0.1",
        port: upstreamPort,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, "x-forwarded-for": forwardedFor(req.headers, req.socket.remoteAddress) },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  proxy.on("upgrade", (req, socket, head) => {
    const upstream = connect(upstreamPort, "127.0.0.1", () => {
      const headers = {
        ...req.headers,
        "x-forwarded-for": forwardedFor(req.headers, req.socket.remoteAddress),
      };
      const lines = Object.entries(headers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : v}`);
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n`);
      upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  add(
    () =>
      new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        proxy.closeAllConnections();
      }),
  );
  return { port: (proxy.address() as AddressInfo).port };
}

/**
 * The HTTP status of a websocket upgrade to `port`, sent from the loopback address `from` (Linux
 * routes all of 127.0.0.0/8 to this machine: each address is a different client).
 */
function upgradeFrom(port: number, from: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/sync/manifesto?token=${readerToken}`, {
      headers,
      localAddress: from,
    });
    ws.on("open", () => {
      ws.close();
      resolve(101);
    });
    ws.on("unexpected-response", (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    ws.on("error", () => {});
  });
}

/** The status of a (wrong) sign-in posted to `port` from the loopback address `from`. */
function signInFrom(port: number, from: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = "name=nobody&password=wrong-password";
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/login",
        localAddress: from,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "content-length": Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

let readerToken = "";
async function limitedServer(options: Parameters<typeof server>[0] = {}): Promise<TestServer> {
  const s = await server({ rateLimits: { connectionsPerMinute: 2, signInPerMinute: 2 }, ...options });
  readerToken = s.token("reader");
  return s;
}

describe("behind a reverse proxy", () => {
  it("rate-limits each client behind a trusted proxy separately, by its X-Forwarded-For address", async () => {
    const s = await limitedServer({ trustProxy: parseTrustProxy("loopback") });
    const proxy = await startProxy(s.port);
    const a = [];
    for (let i = 0; i < 3; i++) a.push(await upgradeFrom(proxy.port, "127.0.0.2"));
    expect(a).toEqual([101, 101, 429]);
    expect(await upgradeFrom(proxy.port, "127.0.0.3")).toBe(101);
    expect(s.log.lines.some((l) => l.includes("refused a websocket from 127.0.0.2: too many"))).toBe(true);

    const signIns = [];
    for (let i = 0; i < 3; i++) signIns.push(await signInFrom(proxy.port, "127.0.0.2"));
    expect(signIns).toEqual([401, 401, 429]);
    expect(await signInFrom(proxy.port, "127.0.0.3")).toBe(401);
    expect(s.log.lines.some((l) => l.includes("refused a sign-in from 127.0.0.2: too many"))).toBe(true);
  });

  it("ignores X-Forwarded-For when no proxy is trusted: all clients behind the proxy share its limit", async () => {
    const s = await limitedServer();
    const proxy = await startProxy(s.port);
    expect(await upgradeFrom(proxy.port, "127.0.0.2")).toBe(101);
    expect(await upgradeFrom(proxy.port, "127.0.0.3")).toBe(101);
    expect(await upgradeFrom(proxy.port, "127.0.0.4")).toBe(429);
    // A client speaking to the server directly cannot pick its own address either.
    const direct = [];
    for (const forged of ["203.0.113.1", "203.0.113.2", "203.0.113.3"])
      direct.push(await signInFrom(s.port, "127.0.0.5", { "x-forwarded-for": forged }));
    expect(direct).toEqual([401, 401, 429]);
  });

  it("ignores X-Forwarded-For from an address that is not the trusted proxy", async () => {
    const s = await limitedServer({ trustProxy: parseTrustProxy("127.0.0.1") });
    const forged = [];
    for (const address of ["203.0.113.1", "203.0.113.2", "203.0.113.3"])
      forged.push(await upgradeFrom(s.port, "127.0.0.6", { "x-forwarded-for": address }));
    expect(forged).toEqual([101, 101, 429]);
    expect(s.log.lines.some((l) => l.includes("refused a websocket from 127.0.0.6"))).toBe(true);
  });

  it("accepts pages of the public URL behind the proxy, and refuses other origins", async () => {
    const s = await server({ publicUrl: "https://variorum.example.org" });
    readerToken = s.token("reader");
    const proxy = await startProxy(s.port);
    expect(await upgradeFrom(proxy.port, "127.0.0.2", { origin: "https://variorum.example.org" })).toBe(101);
    expect(await upgradeFrom(proxy.port, "127.0.0.2", { origin: "https://elsewhere.example" })).toBe(403);
    expect(await upgradeFrom(proxy.port, "127.0.0.2", { origin: "null" })).toBe(403);
    const plain = await server();
    readerToken = plain.token("reader");
    const plainProxy = await startProxy(plain.port);
    expect(await upgradeFrom(plainProxy.port, "127.0.0.2", { origin: "https://variorum.example.org" })).toBe(
      403,
    );
  });
});
