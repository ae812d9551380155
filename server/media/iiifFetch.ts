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
  ["192.0.0.0", 24],
  ["198.18.0.0", 15],
  ["224.0.0.0", 3],
] as const)
  privateRanges.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  // Addresses that carry an IPv4 address inside (IPv4-compatible, NAT64, 6to4) are checked by it below.
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
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 4) return privateRanges.check(address, "ipv4");
  if (privateRanges.check(address, "ipv6")) return true;
  const inner = embeddedIpv4(address);
  return inner !== null && privateRanges.check(inner, "ipv4");
}

/**
 * The IPv4 address an IPv6 address carries, if it is of a kind that reaches one (mapped ::ffff:0:0/96,
 * compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16): a NAT64 gateway makes 64:ff9b::a9fe:a9fe the
 * cloud's metadata address.
 */
function embeddedIpv4(address: string): string | null {
  const words = expandIpv6(address);
  if (!words) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zeros = (from: number, to: number) => words.slice(from, to).every((w) => w === 0);
  if (zeros(0, 5) && (words[5] === 0xffff || words[5] === 0))
    return v4(words[6] as number, words[7] as number);
  if (words[0] === 0x64 && words[1] === 0xff9b && zeros(2, 6))
    return v4(words[6] as number, words[7] as number);
  if (words[0] === 0x2002) return v4(words[1] as number, words[2] as number);
  return null;
}

/** An IPv6 address as its eight 16-bit words (a dotted IPv4 tail read as two words). */
function expandIpv6(address: string): number[] | null {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(":").map((w) => Number.parseInt(w, 16)) : []);
  const h = part(head);
  const t = part(tail);
  const words = tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff)
    ? words
    : null;
}

class Refusal extends Error {}

/** DNS lookup that refuses a private address when they are not allowed: checked on the connection itself. */
// Node's connections ask for every address of a name (happy eyeballs, `all: true`): each is checked, and
// the answer has the form that was asked for.
const checkedLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "", 0);
    const list = addresses as unknown as { address: string; family: number }[];
    const bad = privateAllowed() ? undefined : list.find((a) => isPrivateAddress(a.address));
    if (bad || list.length === 0)
      return callback(
        new Refusal(
          bad
            ? `${hostname} resolves to ${bad.address}, a private or loopback address: the server fetches only public addresses (set VARIORUM_IIIF_ALLOW_PRIVATE=1 to allow them)`
            : `${hostname} resolves to no address`,
        ),
        "",
        0,
      );
    if (options.all) (callback as unknown as (e: null, a: typeof list) => void)(null, list);
    else callback(null, (list[0] as { address: string }).address, (list[0] as { family: number }).family);
  });
};

function once(url: URL, deadline: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = request(url, {
      method: "GET",
      headers: { accept: "application/ld+json, application/json;q=0.9" },
      lookup: checkedLookup,
      timeout: IIIF_TIMEOUT_MS,
    });
    // The socket's timeout is only for silence: a server that drips a byte now and then is cut off here.
    const timer = setTimeout(
      () => req.destroy(new Error(`no answer within ${IIIF_TIMEOUT_MS / 1000} s`)),
      Math.max(0, deadline - Date.now()),
    );
    req.on("response", (res) => {
      clearTimeout(timer);
      resolve(res);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${IIIF_TIMEOUT_MS / 1000} s`)));
    req.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
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
      res = await once(url, deadline);
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
      try {
        url = new URL(res.headers.location, url);
      } catch {
        return { ok: false, status: 502, error: `${url.href} redirects to an invalid address` };
      }
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
