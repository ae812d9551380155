/**
 * Fetching a IIIF document by URL for an editor, with the server's own safety: http(s) only; the
 * address the name resolves to is checked when the connection is made (so a name cannot be re-pointed
 * between check and use), and private, loopback and link-local addresses are refused unless
 * `VARIORUM_IIIF_ALLOW_PRIVATE=1` (a server on a closed network, the tests' local server); at most
 * three redirects, each checked again; a time limit; a size cap; JSON by its content type.
 */
import { lookup } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

/** The largest IIIF document fetched, in bytes. */
export const MAX_IIIF_BYTES = 5 * 1024 * 1024;
/** How long a fetch may take, in milliseconds, from the request to the last byte. */
export const IIIF_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 3;

export type IiifFetch =
  | { ok: true; url: string; json: unknown }
  | { ok: false; status: number; error: string };

const privateRanges = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["224.0.0.0", 3],
] as const)
  privateRanges.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  privateRanges.addSubnet(net, prefix, "ipv6");

/** Whether private and loopback addresses may be fetched (read at each fetch: the environment rules). */
export function privateAllowed(): boolean {
  return process.env.VARIORUM_IIIF_ALLOW_PRIVATE === "1";
}

/** Whether an address is private, loopback, link-local or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return privateRanges.check(mapped[1] as string, "ipv4");
  const family = isIP(address);
  if (family === 0) return true;
  return privateRanges.check(address, family === 4 ? "ipv4" : "ipv6");
}

class Refusal extends Error {}

/** DNS lookup that refuses a private address when they are not allowed: checked on the connection itself. */
const checkedLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: false }, (error, address, family) => {
    if (error) return callback(error, "", 0);
    if (!privateAllowed() && isPrivateAddress(String(address)))
      return callback(
        new Refusal(
          `${hostname} resolves to ${address}, a private or loopback address: the server fetches only public addresses (set VARIORUM_IIIF_ALLOW_PRIVATE=1 to allow them)`,
        ),
        "",
        0,
      );
    callback(null, address as string, family as number);
  });
};

function once(url: URL): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = request(url, {
      method: "GET",
      headers: { accept: "application/ld+json, application/json;q=0.9" },
      lookup: checkedLookup,
      timeout: IIIF_TIMEOUT_MS,
    });
    req.on("response", resolve);
    req.on("timeout", () => req.destroy(new Error(`no answer within ${IIIF_TIMEOUT_MS / 1000} s`)));
    req.on("error", reject);
    req.end();
  });
}

function body(res: IncomingMessage, deadline: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const timer = setTimeout(
      () => res.destroy(new Error(`not whole within ${IIIF_TIMEOUT_MS / 1000} s`)),
      Math.max(0, deadline - Date.now()),
    );
    res.on("data", (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_IIIF_BYTES) {
        res.destroy(
          new Refusal(`it is larger than ${MAX_IIIF_BYTES} bytes, the most a IIIF document may be`),
        );
        return;
      }
      chunks.push(chunk);
    });
    res.on("end", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    res.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** Fetches the JSON at `address`, or says why not (the status to answer with, and the reason). */
export async function fetchIiif(address: string): Promise<IiifFetch> {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return { ok: false, status: 400, error: `"${address}" is not a URL` };
  }
  const deadline = Date.now() + IIIF_TIMEOUT_MS;
  for (let hop = 0; ; hop++) {
    if (url.protocol !== "http:" && url.protocol !== "https:")
      return { ok: false, status: 400, error: `${url.href}: only http and https URLs are fetched` };
    if (url.username || url.password)
      return {
        ok: false,
        status: 400,
        error: `${url.href}: a URL with a user name or password is not fetched`,
      };
    // An address written as digits is connected to without a lookup: checked here instead.
    const literal = url.hostname.replace(/^\[|\]$/g, "");
    if (isIP(literal) && !privateAllowed() && isPrivateAddress(literal))
      return {
        ok: false,
        status: 400,
        error: `${url.href}: ${literal} is a private or loopback address: the server fetches only public addresses (set VARIORUM_IIIF_ALLOW_PRIVATE=1 to allow them)`,
      };
    let res: IncomingMessage;
    try {
      res = await once(url);
    } catch (error) {
      const refused = error instanceof Refusal;
      return {
        ok: false,
        status: refused ? 400 : 502,
        error: `${url.href} could not be fetched: ${(error as Error).message}`,
      };
    }
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      if (hop >= MAX_REDIRECTS)
        return { ok: false, status: 502, error: `${address} redirects more than ${MAX_REDIRECTS} times` };
      url = new URL(res.headers.location, url);
      continue;
    }
    if (status !== 200) {
      res.resume();
      return { ok: false, status: 502, error: `${url.href} answered ${status}, not a IIIF document` };
    }
    const type = String(res.headers["content-type"] ?? "");
    if (!/^application\/(ld\+)?json\b|^text\/json\b/i.test(type)) {
      res.resume();
      return {
        ok: false,
        status: 415,
        error: `${url.href} is ${type || "of no stated type"}, not JSON: a IIIF manifest or info.json is application/json or application/ld+json`,
      };
    }
    const declared = Number(res.headers["content-length"] ?? 0);
    if (declared > MAX_IIIF_BYTES) {
      res.destroy();
      return {
        ok: false,
        status: 413,
        error: `${url.href} is ${declared} bytes; a IIIF document may be at most ${MAX_IIIF_BYTES}`,
      };
    }
    let bytes: Buffer;
    try {
      bytes = await body(res, deadline);
    } catch (error) {
      const big = error instanceof Refusal;
      return { ok: false, status: big ? 413 : 502, error: `${url.href}: ${(error as Error).message}` };
    }
    try {
      return {
        ok: true,
        url: url.href,
        json: JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)),
      };
    } catch (error) {
      return {
        ok: false,
        status: 422,
        error: `${url.href} says it is JSON but is not: ${(error as Error).message}`,
      };
    }
  }
}
