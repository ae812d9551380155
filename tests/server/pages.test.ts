import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePng, pngBomb } from "../helpers/images.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { publish } from "../helpers/suite.ts";

describe("page images of a witness", () => {
  let server: TestServer;
  let editor: string;
  beforeAll(async () => {
    server = await startTestServer();
    editor = server.token("editor");
  });
  afterAll(() => server.dispose());

  const upload = (bytes: Uint8Array, filename: string, token = editor, siglum = "WD") =>
    fetch(
      `${server.url}/api/editions/manifesto/witnesses/${siglum}/pages?filename=${encodeURIComponent(filename)}`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" },
        body: Buffer.from(bytes),
      },
    );

  it("stores pages in order, serves them as a IIIF manifest with a level-0 image service, to members only", async () => {
    const first = makePng(300, 400);
    const second = makePng(320, 410, 120);
    const a = await upload(first, "wd-1923-12-01-p1.png");
    expect(a.status, await a.clone().text()).toBe(201);
    expect(await a.json()).toMatchObject({ n: 1, kind: "png", width: 300, height: 400 });
    expect((await upload(second, "page two")).status).toBe(201);

    // A reviewer may look but not add.
    expect((await upload(first, "again", server.token("reviewer"))).status).toBe(403);

    const reader = server.token("reader");
    const get = (path: string, token: string | null = reader) =>
      fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const manifest = (await (await get("/iiif/manifesto/WD/manifest.json")).json()) as {
      type: string;
      items: {
        width: number;
        height: number;
        items: { items: { body: { id: string; service: { profile: string }[] } }[] }[];
      }[];
    };
    expect(manifest.type).toBe("Manifest");
    expect(manifest.items.map((c) => [c.width, c.height])).toEqual([
      [300, 400],
      [320, 410],
    ]);
    const body = manifest.items[0]?.items[0]?.items[0]?.body;
    expect(body?.service[0]?.profile).toBe("level0");
    const info = (await (await get("/iiif/manifesto/WD/2/info.json")).json()) as {
      width: number;
      profile: string;
    };
    expect(info).toMatchObject({ width: 320, profile: "level0" });

    const image = await get(new URL(body?.id ?? "").pathname);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(image.headers.get("cache-control")).toBe("private, max-age=3600");
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(first);
    const etag = image.headers.get("etag") ?? "";
    const again = await fetch(`${server.url}${new URL(body?.id ?? "").pathname}`, {
      headers: { authorization: `Bearer ${reader}`, "if-none-match": etag },
    });
    expect(again.status).toBe(304);

    // Unpublished: nothing for visitors; published: the pages are public, and cached as such.
    expect((await get("/iiif/manifesto/WD/manifest.json", null)).status).toBe(401);
    expect((await get("/iiif/manifesto/WD/1/full/max/0/default.png", null)).status).toBe(401);
    await publish(server);
    const open = await get("/iiif/manifesto/WD/1/full/max/0/default.png", null);
    expect(open.status).toBe(200);
    expect(open.headers.get("cache-control")).toBe("public, max-age=3600");
    expect((await get("/iiif/manifesto/WD/3/info.json")).status).toBe(404);
  });

  it("refuses hostile files by their bytes, with the reason, storing nothing, and stays up", async () => {
    const before = (await (
      await server.get("/api/editions/manifesto/witnesses/Q/pages")
    ).json()) as unknown[];
    const cases: [Uint8Array, string, RegExp][] = [
      [pngBomb(), "bomb.png", /declares 100000×100000 pixels; a page image has at most/],
      [makePng(50, 50).slice(0, 60), "cut.png", /cut short|damaged/],
      [
        new TextEncoder().encode("<!doctype html><script>alert(1)</script>"),
        "page.jpg",
        /not a JPEG, PNG, WebP or TIFF/,
      ],
      [
        new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]),
        "trunc.jpg",
        /damaged JPEG|cut short/,
      ],
      [new Uint8Array(), "empty.png", /is empty/],
    ];
    for (const [bytes, name, why] of cases) {
      const res = await upload(bytes, name, editor, "Q");
      expect(res.status, name).toBeGreaterThanOrEqual(400);
      const error = ((await res.json()) as { error: string }).error;
      expect(error, name).toMatch(why);
      expect(error, name).toContain(name);
    }
    expect(await (await server.get("/api/editions/manifesto/witnesses/Q/pages")).json()).toEqual(before);
    expect((await upload(makePng(10, 10), "p.png", editor, "NOPE")).status).toBe(404);

    // 200 MB announced: refused from its length, before the body is read.
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${server.url}/api/editions/manifesto/witnesses/Q/pages?filename=huge.tif`);
      const req = request(url, {
        method: "POST",
        headers: { authorization: `Bearer ${editor}`, "content-length": String(200 * 1024 * 1024) },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on("error", reject);
      req.write(Buffer.alloc(64 * 1024));
    });
    expect(status).toBe(413);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
