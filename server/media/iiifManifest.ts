/**
 * What a IIIF document fetched by URL gives as pages of a witness: the canvases of a Presentation
 * manifest (version 3, or version 2's first sequence), each with its image's URL, size and Image API
 * service; or a single page for an Image API service (`info.json`, version 2 or 3). Anything else is
 * refused, saying what was found. Pure: JSON in, pages or an error out.
 */
import type { ImageKind } from "./imageCheck.ts";

/** One page of a manifest: a reference to its image, never a copy. */
export interface IiifPage {
  label: string;
  url: string;
  service: string | null;
  width: number;
  height: number;
  kind: ImageKind;
}

export type IiifRead =
  | { ok: true; version: "presentation-3" | "presentation-2" | "image-3" | "image-2"; pages: IiifPage[] }
  | { ok: false; error: string };

/** The most canvases one manifest may bring. */
export const MAX_CANVASES = 2000;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : null;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const str = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v.trim() : null);
const idOf = (v: unknown): string | null => {
  const o = obj(v);
  return o ? (str(o.id) ?? str(o["@id"])) : str(v);
};
const size = (v: unknown): number | null => {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : null;
};

/** A label of v3 (`{ "en": ["p. 1"] }`) or v2 (a string, or `[{"@value": …}]`). */
function labelOf(v: unknown, fallback: string): string {
  if (typeof v === "string") return v.trim() || fallback;
  const o = obj(v);
  if (o && "@value" in o) return str(o["@value"]) ?? fallback;
  if (o)
    for (const values of Object.values(o)) for (const s of arr(values)) if (str(s)) return str(s) as string;
  for (const item of arr(v)) {
    const l = labelOf(item, "");
    if (l) return l;
  }
  return fallback;
}

/** The kind of an image elsewhere, from its stated format or its URL's extension; JPEG when neither says. */
export function kindOf(format: string | null, url: string): ImageKind {
  const f = format ?? "";
  if (/png/.test(f) || /\.png($|\?)/i.test(url)) return "png";
  if (/webp/.test(f) || /\.webp($|\?)/i.test(url)) return "webp";
  if (/tiff?/.test(f) || /\.tiff?($|\?)/i.test(url)) return "tiff";
  return "jpeg";
}

const isHttp = (u: string) => /^https?:\/\//i.test(u);

/** Reads a fetched IIIF document; `where` names it in errors. */
export function readIiif(json: unknown, where: string): IiifRead {
  const doc = obj(json);
  if (!doc)
    return {
      ok: false,
      error: `${where} is JSON but not a IIIF document: it is not an object with a type (Manifest, sc:Manifest) or an Image API protocol`,
    };
  const type = str(doc.type) ?? str(doc["@type"]);
  if (type === "Manifest") return canvases(arr(doc.items), where, "presentation-3", canvas3);
  if (type === "sc:Manifest") {
    const sequence = obj(arr(doc.sequences)[0]);
    return canvases(arr(sequence?.canvases), where, "presentation-2", canvas2);
  }
  if (doc.protocol === "http://iiif.io/api/image") {
    const id = str(doc.id) ?? str(doc["@id"]);
    const width = size(doc.width);
    const height = size(doc.height);
    if (!id || !isHttp(id) || !width || !height)
      return { ok: false, error: `${where} is an Image API service without an http(s) id, width and height` };
    const v3 = type === "ImageService3" || String(doc["@context"] ?? "").includes("/image/3/");
    const base = id.replace(/\/+$/, "");
    return {
      ok: true,
      version: v3 ? "image-3" : "image-2",
      pages: [
        {
          label: "1",
          url: `${base}/full/${v3 ? "max" : "full"}/0/default.jpg`,
          service: base,
          width,
          height,
          kind: "jpeg",
        },
      ],
    };
  }
  if (type === "Collection" || type === "sc:Collection")
    return { ok: false, error: `${where} is a IIIF collection: attach one of its manifests` };
  return {
    ok: false,
    error: `${where} is JSON but not a IIIF Presentation manifest (v2 or v3) nor an Image API service: ${type ? `its type is "${type}"` : "it has no type, @type or Image API protocol"}`,
  };
}

type CanvasRead = (c: Json, n: number) => IiifPage | string;

function canvases(
  items: unknown[],
  where: string,
  version: "presentation-3" | "presentation-2",
  read: CanvasRead,
): IiifRead {
  if (items.length === 0)
    return { ok: false, error: `${where} is a IIIF manifest without canvases: no pages to attach` };
  if (items.length > MAX_CANVASES)
    return {
      ok: false,
      error: `${where} has ${items.length} canvases; one manifest brings at most ${MAX_CANVASES}`,
    };
  const pages: IiifPage[] = [];
  for (const [i, item] of items.entries()) {
    const c = obj(item);
    const page = c ? read(c, i + 1) : "it is not an object";
    if (typeof page === "string") return { ok: false, error: `${where}: canvas ${i + 1} ${page}` };
    pages.push(page);
  }
  return { ok: true, version, pages };
}

function page(c: Json, n: number, image: Json | null, service: unknown): IiifPage | string {
  const url = idOf(image);
  if (!url || !isHttp(url)) return "has no painted image with an http(s) URL";
  const width = size(c.width) ?? size(image?.width);
  const height = size(c.height) ?? size(image?.height);
  if (!width || !height) return "gives no pixel size (width and height)";
  const svc = idOf(arr(service)[0]);
  return {
    label: labelOf(c.label, String(n)),
    url,
    service: svc && isHttp(svc) ? svc.replace(/\/+$/, "") : null,
    width,
    height,
    kind: kindOf(str(image?.format), url),
  };
}

/** A v3 canvas: items[0] (AnnotationPage) → items[0] (painting Annotation) → body (Image). */
const canvas3: CanvasRead = (c, n) => {
  const annotation = obj(arr(obj(arr(c.items)[0])?.items)[0]);
  const body = obj(arr(annotation?.body)[0]);
  return page(c, n, body, body?.service);
};

/** A v2 canvas: images[0] (oa:Annotation) → resource (dctypes:Image). */
const canvas2: CanvasRead = (c, n) => {
  const resource = obj(obj(arr(c.images)[0])?.resource);
  return page(c, n, resource, resource?.service);
};
