import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import type { ServerOptions } from "../../server/server.ts";
import { launchChromium } from "./browser.ts";
import { startTestServer, type TestServer } from "./server.ts";

/** A real server and a real Chromium for the tests of one `describe`, started once and stopped after. */
export function withServerAndBrowser(options: Partial<ServerOptions> = {}): {
  readonly server: TestServer;
  readonly browser: Browser;
} {
  let server: TestServer | null = null;
  let browser: Browser | null = null;
  beforeAll(async () => {
    server = await startTestServer(options);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });
  return {
    get server() {
      if (!server) throw new Error("the server is not started yet");
      return server;
    },
    get browser() {
      if (!browser) throw new Error("the browser is not started yet");
      return browser;
    },
  };
}

/** Things to undo after each test (servers, clients, folders), undone in reverse order. */
export function cleanupAfterEach(): {
  add(cleanup: () => Promise<void> | void): void;
  server(options?: Partial<ServerOptions>): Promise<TestServer>;
} {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return {
    add: (cleanup) => {
      cleanups.push(cleanup);
    },
    server: async (options = {}) => {
      const s = await startTestServer(options);
      cleanups.push(() => s.dispose());
      return s;
    },
  };
}

/** Publishes an edition as its owner. */
export async function publish(server: TestServer, edition = "manifesto"): Promise<void> {
  const res = await fetch(`${server.url}/api/editions/${edition}/publish`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${server.token("owner", edition)}`,
      "content-type": "application/json",
    },
    body: "{}",
  });
  if (!res.ok) throw new Error(`publishing failed: ${res.status}`);
}
