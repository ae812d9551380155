import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ROOTS } from "../../schema/layout.ts";
import { addZone, listZones, removeZone } from "../../schema/zones.ts";

describe("zones on page images", () => {
  it("keeps zones drawn at once by two transcribers, clamps them to the image, and skips damaged values", () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const base = { start: "s", end: "e", by: null, at: 1 };
    addZone(a, { page: 1, x: 0.1, y: 0.2, w: 0.5, h: 0.05, ...base }, "zone-a");
    addZone(b, { page: 1, x: 0.8, y: 0.9, w: 0.5, h: 0.5, ...base }, "zone-b");
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    a.getMap(ROOTS.zones).set("zone-bad", { page: 0, x: 2 });
    const zones = listZones(a);
    expect(zones.map((z) => z.id)).toEqual(["zone-a", "zone-b"]);
    const zb = zones[1] as (typeof zones)[number];
    expect(zb.w).toBeCloseTo(0.2);
    expect(zb.h).toBeCloseTo(0.1);
    expect(listZones(b).map((z) => z.id)).toEqual(["zone-a", "zone-b"]);
    removeZone(b, "zone-a");
    expect(listZones(b).map((z) => z.id)).toEqual(["zone-b"]);
  });
});
