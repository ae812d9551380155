import { crc32, deflateSync } from "node:zlib";

/**
 * A real PNG file made here, of a given size and one grey level: test data for the page uploads (a page
 * image rendered from nothing, never passed off as a scan of a source).
 */
export function makePng(width: number, height: number, grey = 200): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, "ascii");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, "ascii"), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const row = Buffer.alloc(width + 1, grey);
  row[0] = 0; // no filter
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", ihdr),
      chunk("IDAT", deflateSync(raw)),
      chunk("IEND", Buffer.alloc(0)),
    ]),
  );
}

/** A PNG whose header declares a huge size over a few bytes of data (a "decompression bomb"). */
export function pngBomb(): Uint8Array {
  const png = Buffer.from(makePng(1, 1));
  png.writeUInt32BE(100_000, 16);
  png.writeUInt32BE(100_000, 20);
  return new Uint8Array(png);
}
