import { rmSync } from "node:fs";
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { addUser, exited, spawnServer } from "../helpers/process.ts";
import { upgradeStatus } from "../helpers/rawClient.ts";
import { tempDir } from "../helpers/server.ts";
import { cleanupAfterEach } from "../helpers/suite.ts";

const { add } = cleanupAfterEach();

function dir(): string {
  const d = tempDir();
  add(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

async function started(env: Record<string, string>) {
  const dataDir = dir();
  const s = await spawnServer(dataDir, env);
  add(async () => {
    s.child.kill("SIGTERM");
    await exited(s.child);
  });
  return { ...s, dataDir };
}

function signIn(port: number, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = "name=nobody&password=wrong-password";
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/login",
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

describe("npm start's deployment settings", () => {
  it("builds printed links on VARIORUM_PUBLIC_URL and takes its rate limits and trusted proxy from the environment", async () => {
    const s = await started({
      VARIORUM_PUBLIC_URL: "https://variorum.example.org/",
      VARIORUM_TRUST_PROXY: "loopback",
      VARIORUM_CONNECTIONS_PER_MINUTE: "2",
      VARIORUM_SIGNINS_PER_MINUTE: "1",
    });
    expect(s.stdout).toContain("Public address: https://variorum.example.org\n");
    expect(s.stdout).toMatch(
      /one-time link to become the owner:\n {2}https:\/\/variorum\.example\.org\/claim\/\S+/,
    );

    const token = addUser(s.dataDir, "Proxied", "reader");
    const url = `ws://127.0.0.1:${s.port}/sync/manifesto?token=${token}`;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(await upgradeStatus(url));
    expect(statuses).toEqual([101, 101, 429]);
    // From the trusted loopback proxy, another client's forwarded address has a limit of its own.
    expect(await upgradeStatus(url, { "x-forwarded-for": "203.0.113.7" })).toBe(101);
    // The public URL's pages pass the origin check, though the Host header names the listener.
    expect(
      await upgradeStatus(url, { "x-forwarded-for": "203.0.113.8", origin: "https://variorum.example.org" }),
    ).toBe(101);

    expect([await signIn(s.port), await signIn(s.port)]).toEqual([401, 429]);
  });

  for (const [name, value, message] of [
    ["VARIORUM_TRUST_PROXY", "the proxy", /VARIORUM_TRUST_PROXY: "the proxy" is not an address, a subnet/],
    ["VARIORUM_TRUST_PROXY", "10.0.0.0/33", /"10\.0\.0\.0\/33" is not an address, a subnet/],
    [
      "VARIORUM_PUBLIC_URL",
      "variorum.example.org",
      /VARIORUM_PUBLIC_URL: "variorum\.example\.org" is not a URL/,
    ],
    ["VARIORUM_PUBLIC_URL", "https://example.org/variorum", /must be the root of its host/],
    [
      "VARIORUM_CONNECTIONS_PER_MINUTE",
      "0",
      /VARIORUM_CONNECTIONS_PER_MINUTE: "0" is not a positive whole number/,
    ],
    [
      "VARIORUM_SIGNINS_PER_MINUTE",
      "ten",
      /VARIORUM_SIGNINS_PER_MINUTE: "ten" is not a positive whole number/,
    ],
  ] as const) {
    it(`refuses to start with ${name}=${value}, saying why`, async () => {
      const error = await spawnServer(dir(), { [name]: value }).then(
        (s) => {
          s.child.kill("SIGKILL");
          return null;
        },
        (e: Error) => e,
      );
      expect(error?.message).toMatch(/exited with 1/);
      expect(error?.message).toMatch(message);
    });
  }
});
