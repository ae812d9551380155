import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddress, isOwnOrigin, parsePublicUrl, parseTrustProxy } from "../../server/proxy.ts";

/** A request as it arrives from `peer` with an X-Forwarded-For header. */
const from = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
  }) as unknown as IncomingMessage;

describe("client addresses behind proxies", () => {
  it("believes X-Forwarded-For only from trusted hops, walking from the right", () => {
    const loopback = parseTrustProxy("loopback");
    expect(clientAddress(from("127.0.0.1", "203.0.113.5"), loopback)).toBe("203.0.113.5");
    expect(clientAddress(from("::ffff:127.0.0.1", "203.0.113.5"), loopback)).toBe("203.0.113.5");
    expect(clientAddress(from("::1", "203.0.113.5"), loopback)).toBe("203.0.113.5");
    // A client that forges the header ahead of the real proxy is still seen as itself.
    expect(clientAddress(from("127.0.0.1", "198.51.100.1, 203.0.113.5"), loopback)).toBe("203.0.113.5");
    // An untrusted peer's header is ignored.
    expect(clientAddress(from("198.51.100.9", "203.0.113.5"), loopback)).toBe("198.51.100.9");
    expect(clientAddress(from("127.0.0.1", "203.0.113.5"), parseTrustProxy(undefined))).toBe("127.0.0.1");
    expect(clientAddress(from("127.0.0.1", "203.0.113.5"), parseTrustProxy("false"))).toBe("127.0.0.1");
  });

  it("counts hops, and takes subnets and lists as Express does", () => {
    expect(clientAddress(from("10.0.0.2", "203.0.113.5, 10.0.0.1"), parseTrustProxy("2"))).toBe(
      "203.0.113.5",
    );
    expect(clientAddress(from("10.0.0.2", "203.0.113.5, 10.0.0.1"), parseTrustProxy("1"))).toBe("10.0.0.1");
    expect(clientAddress(from("10.0.0.2", "203.0.113.5, 10.0.0.1"), parseTrustProxy("10.0.0.0/8"))).toBe(
      "203.0.113.5",
    );
    expect(clientAddress(from("10.0.0.2", "203.0.113.5, 10.0.0.1"), parseTrustProxy("10.0.0.2"))).toBe(
      "10.0.0.1",
    );
    expect(clientAddress(from("10.0.0.2", "1.2.3.4, 203.0.113.5"), parseTrustProxy("true"))).toBe("1.2.3.4");
    expect(() => parseTrustProxy("loopback, nonsense")).toThrow(/"nonsense" is not an address, a subnet/);
    expect(() => parseTrustProxy("fe80::/129")).toThrow(/"fe80::\/129"/);
  });
});

describe("our own origins", () => {
  it("accepts the public URL's origin and the request's own host; refuses others and non-URLs", () => {
    const pub = parsePublicUrl("https://variorum.example.org/");
    expect(pub).toBe("https://variorum.example.org");
    expect(isOwnOrigin("https://variorum.example.org", "127.0.0.1:8080", pub)).toBe(true);
    expect(isOwnOrigin("http://variorum.example.org", "127.0.0.1:8080", pub)).toBe(false);
    expect(isOwnOrigin("http://127.0.0.1:8080", "127.0.0.1:8080", pub)).toBe(true);
    expect(isOwnOrigin("https://elsewhere.example", "127.0.0.1:8080", pub)).toBe(false);
    expect(isOwnOrigin("null", "127.0.0.1:8080", null)).toBe(false);
    expect(() => parsePublicUrl("https://variorum.example.org/?x=1")).toThrow(/no query/);
  });
});
