/**
 * Running behind a reverse proxy: which hops to trust with `X-Forwarded-For` (the values of Express's
 * `trust proxy` setting), the client address that follows, and which page origins are our own.
 * HTTP routes (through Express's `req.ip`) and the websocket door use the same trust function, so rate
 * limits, log lines and origin checks see the same client.
 */
import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";

/** Whether the hop at `address`, `hop` steps from this server (0: the socket's peer), may be believed. */
export type TrustProxy = (address: string, hop: number) => boolean;

const NAMED_SUBNETS: Record<string, [string, number, "ipv4" | "ipv6"][]> = {
  loopback: [
    ["127.0.0.0", 8, "ipv4"],
    ["::1", 128, "ipv6"],
  ],
  linklocal: [
    ["169.254.0.0", 16, "ipv4"],
    ["fe80::", 10, "ipv6"],
  ],
  uniquelocal: [
    ["10.0.0.0", 8, "ipv4"],
    ["172.16.0.0", 12, "ipv4"],
    ["192.168.0.0", 16, "ipv4"],
    ["fc00::", 7, "ipv6"],
  ],
};

/**
 * Reads a `trust proxy` value as Express documents it: unset, empty or `false` trusts no one; `true`
 * every hop; a number that many hops; otherwise a comma-separated list of addresses, subnets
 * (`10.0.0.0/8`) and the names `loopback`, `linklocal`, `uniquelocal`. Throws, naming the entry, on
 * anything else.
 */
export function parseTrustProxy(value: string | undefined, name = "VARIORUM_TRUST_PROXY"): TrustProxy {
  const v = (value ?? "").trim();
  if (v === "" || v === "false") return () => false;
  if (v === "true") return () => true;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return (_address, hop) => hop < hops;
  }
  const list = new BlockList();
  for (const entry of v.split(",").map((e) => e.trim())) {
    const named = NAMED_SUBNETS[entry];
    if (named) {
      for (const [net, prefix, type] of named) list.addSubnet(net, prefix, type);
      continue;
    }
    const [address, prefix, ...extra] = entry.split("/");
    const type = isIP(address ?? "");
    const bits = prefix === undefined ? (type === 6 ? 128 : 32) : Number(prefix);
    if (
      !address ||
      type === 0 ||
      extra.length > 0 ||
      !Number.isInteger(bits) ||
      bits < 0 ||
      bits > (type === 6 ? 128 : 32)
    ) {
      throw new Error(
        `${name}: "${entry}" is not an address, a subnet (10.0.0.0/8), loopback, linklocal, uniquelocal, a number of hops, true or false`,
      );
    }
    list.addSubnet(address, bits, type === 6 ? "ipv6" : "ipv4");
  }
  return (address) => {
    const plain = unmapped(address);
    const type = isIP(plain);
    return type !== 0 && list.check(plain, type === 6 ? "ipv6" : "ipv4");
  };
}

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) as `127.0.0.1`. */
function unmapped(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? (m[1] as string) : address;
}

/**
 * The client's address: the socket's peer, or — walking `X-Forwarded-For` from the right while each
 * hop is trusted — the first address no trusted hop vouches for (what Express's `req.ip` gives).
 */
export function clientAddress(req: IncomingMessage, trust: TrustProxy): string {
  const peer = req.socket.remoteAddress ?? "?";
  const header = req.headers["x-forwarded-for"];
  const forwarded = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean)
    .reverse();
  const hops = [peer, ...forwarded];
  for (let i = 0; i < hops.length - 1; i++)
    if (!trust(hops[i] as string, i)) return unmapped(hops[i] as string);
  return unmapped(hops[hops.length - 1] as string);
}

/**
 * Whether a page of `origin` is one of ours: the public URL's origin (behind a proxy, where the `Host`
 * header may name the upstream), or the host the request was sent to. An origin that is not a URL
 * (`null` from a sandboxed frame) is not ours.
 */
export function isOwnOrigin(origin: string, host: string | undefined, publicUrl: string | null): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (publicUrl && parsed.origin === new URL(publicUrl).origin) return true;
  return host !== undefined && parsed.host === host;
}

/**
 * Reads `VARIORUM_PUBLIC_URL`: an http(s) URL of the root of a host, returned as its origin (no
 * trailing slash); null when unset. Throws with the reason otherwise.
 */
export function parsePublicUrl(value: string | undefined, name = "VARIORUM_PUBLIC_URL"): string | null {
  const v = (value ?? "").trim();
  if (!v) return null;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new Error(`${name}: "${v}" is not a URL (write it as https://variorum.example.org)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error(`${name}: "${v}" must start with https:// or http://`);
  if (url.search || url.hash || url.username || url.password)
    throw new Error(`${name}: "${v}" must have no query, fragment or credentials`);
  // The pages link their assets from the root (/assets/…): Variorum is served at the root of its host.
  if (url.pathname !== "/")
    throw new Error(`${name}: "${v}" must be the root of its host (no path such as ${url.pathname})`);
  return url.origin;
}
