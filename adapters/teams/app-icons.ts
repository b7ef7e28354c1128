import { deflateSync } from 'node:zlib';

/**
 * The two icons a Teams app package needs, drawn at packaging time so the repository holds no
 * binary blobs: a 192×192 colour icon and a 32×32 outline icon (white on transparent, as Teams
 * requires). Both show a padlock. Placeholders: replace them with your own artwork.
 */
export const ACCENT_COLOR = '#1F6F5C';

type Rgba = readonly [number, number, number, number];
const WHITE: Rgba = [255, 255, 255, 255];
const TRANSPARENT: Rgba = [0, 0, 0, 0];

export function colorIcon(): Buffer {
  const accent = hexToRgba(ACCENT_COLOR);
  return drawPng(192, (x, y) => (isPadlock(x, y) ? WHITE : accent));
}

export function outlineIcon(): Buffer {
  return drawPng(32, (x, y) => (isPadlock(x, y) ? WHITE : TRANSPARENT));
}

/** A padlock in the unit square: a body with a keyhole, and a shackle arching over it. */
function isPadlock(x: number, y: number): boolean {
  const inBody = x >= 0.25 && x <= 0.75 && y >= 0.45 && y <= 0.82;
  const keyhole =
    Math.hypot(x - 0.5, y - 0.58) < 0.05 || (Math.abs(x - 0.5) < 0.02 && y >= 0.58 && y <= 0.72);
  const fromArc = Math.hypot(x - 0.5, y - 0.45);
  const shackle = y <= 0.45 && fromArc >= 0.12 && fromArc <= 0.19;
  return (inBody && !keyhole) || shackle;
}

/** A square RGBA PNG: signature, IHDR, one IDAT (zlib, filter 0 on every row), IEND. */
export function drawPng(size: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const rowLength = 1 + size * 4;
  const raw = Buffer.alloc(rowLength * size);
  for (let row = 0; row < size; row += 1) {
    for (let column = 0; column < size; column += 1) {
      // Sample the pixel centre so the shape scales the same at every size.
      const rgba = pixel((column + 0.5) / size, (row + 0.5) / size);
      raw.set(rgba, row * rowLength + 1 + column * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, colour type 6 (RGBA), no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

// zlib.crc32 only arrived in Node 20.15; the engines field allows 20.11.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function hexToRgba(hex: string): Rgba {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff, 255];
}
