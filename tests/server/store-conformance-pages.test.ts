import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ExternalPage } from "../../server/media/pageStore.ts";
import { storeKinds, withStore } from "../helpers/storeKinds.ts";

const { kinds: KINDS } = storeKinds();

const scan = (text: string) => new TextEncoder().encode(text);
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
/** Every file under the media folder (none while it does not exist). */
const files = (dir: string): string[] => {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name);
  } catch {
    return [];
  }
};
const page = (editionId: string, siglum: string, label?: string) => ({
  editionId,
  siglum,
  kind: "png" as const,
  width: 1200,
  height: 1800,
  addedBy: "anna",
  ...(label === undefined ? {} : { label }),
});

describe.each(KINDS)("the $name store's pages", (kind) => {
  it(
    "stores an image once by the hash of its bytes, however many pages show it, and numbers a witness's pages in order",
    withStore(kind, async ({ store: { pages }, mediaDir }) => {
      const front = scan("the Dreadnought's front page");
      const first = await pages.add(page("e", "WD"), front);
      expect(first).toMatchObject({ n: 1, hash: sha256(front), label: "1", kind: "png", width: 1200 });
      expect(first).toMatchObject({ addedBy: "anna", url: null, service: null, source: null });
      expect(first.addedAt).toBeGreaterThan(Date.now() - 60_000);
      const second = await pages.add(page("e", "WD", "iv"), scan("page iv"));
      expect(second).toMatchObject({ n: 2, label: "iv" });
      const elsewhere = await pages.add(page("other", "WD"), front);
      expect(elsewhere).toMatchObject({ n: 1, hash: first.hash });
      expect(files(mediaDir).sort()).toEqual([first.hash, second.hash].sort());
      expect(await pages.list("e", "WD")).toEqual([first, second]);
      expect(await pages.list("e", "Q")).toEqual([]);
      expect(await pages.get("e", "WD", 2)).toEqual(second);
      expect(await pages.get("e", "WD", 3)).toBeNull();
      expect(new TextDecoder().decode(await pages.read(first.hash))).toBe("the Dreadnought's front page");
      await expect(pages.read(sha256(scan("never stored")))).rejects.toThrow();
    }),
  );

  it(
    "numbers pages added at once to one witness one after another",
    withStore(kind, async ({ store: { pages } }) => {
      const added = await Promise.all(
        [1, 2, 3, 4, 5, 6].map((i) => pages.add(page("e", "WD"), scan(`page ${i}`))),
      );
      expect(added.map((p) => p.n).sort()).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await pages.list("e", "WD")).map((p) => p.n)).toEqual([1, 2, 3, 4, 5, 6]);
    }),
  );

  it(
    "adds references to images elsewhere as the next pages, in order, storing no bytes",
    withStore(kind, async ({ store: { pages }, mediaDir }) => {
      await pages.add(page("e", "WD"), scan("a scan of ours"));
      const manifest = "https://iiif.example.org/dreadnought/manifest.json";
      const external: ExternalPage[] = [1, 2].map((i) => ({
        editionId: "e",
        siglum: "WD",
        kind: "jpeg",
        width: 2000,
        height: 3000,
        addedBy: "boris",
        url: `https://iiif.example.org/dreadnought/p${i}/full/max/0/default.jpg`,
        service: `https://iiif.example.org/dreadnought/p${i}`,
        source: manifest,
        ...(i === 2 ? { label: "2r" } : {}),
      }));
      const added = await pages.addExternal(external);
      expect(added.map((p) => [p.n, p.label, p.hash])).toEqual([
        [2, "2", ""],
        [3, "2r", ""],
      ]);
      expect(await pages.get("e", "WD", 3)).toMatchObject({
        url: "https://iiif.example.org/dreadnought/p2/full/max/0/default.jpg",
        service: "https://iiif.example.org/dreadnought/p2",
        source: manifest,
        addedBy: "boris",
        kind: "jpeg",
      });
      expect((await pages.list("e", "WD")).map((p) => p.n)).toEqual([1, 2, 3]);
      expect(files(mediaDir)).toHaveLength(1);
      expect(await pages.addExternal([])).toEqual([]);
    }),
  );

  it(
    "forgets an edition's pages and no other's, keeping the files",
    withStore(kind, async ({ store: { pages }, mediaDir }) => {
      const mine = await pages.add(page("e", "WD"), scan("shared scan"));
      await pages.add(page("e", "Q"), scan("a page of Q"));
      const theirs = await pages.add(page("other", "WD"), scan("shared scan"));
      await pages.forgetEdition("e");
      expect(await pages.list("e", "WD")).toEqual([]);
      expect(await pages.list("e", "Q")).toEqual([]);
      expect(await pages.list("other", "WD")).toEqual([theirs]);
      expect(files(mediaDir)).toHaveLength(2);
      expect(new TextDecoder().decode(await pages.read(mine.hash))).toBe("shared scan");
    }),
  );
});
