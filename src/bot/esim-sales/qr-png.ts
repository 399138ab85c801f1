import { crc32, deflateSync } from 'node:zlib';
import { encode } from 'uqr';

const QUIET_ZONE = 4;
const SCALE = 8;

/**
 * A QR code as a PNG photo, made here from the LPA string (Telegram's sendPhoto takes no SVG).
 * uqr, already used for the console's store codes, does the QR encoding; the PNG is one
 * greyscale image, written with node:zlib, so no image library is needed.
 */
export function qrPng(text: string): Buffer {
  const { data, size } = encode(text, { ecc: 'M', border: 0 });
  const width = (size + QUIET_ZONE * 2) * SCALE;
  const row = Buffer.alloc(width + 1); // a filter byte (0: none), then one byte a pixel
  const rows: Buffer[] = [];
  for (let y = 0; y < width; y++) {
    const my = Math.floor(y / SCALE) - QUIET_ZONE;
    row.fill(0xff, 1);
    row[0] = 0;
    if (my >= 0 && my < size)
      for (let x = 0; x < width; x++) {
        const mx = Math.floor(x / SCALE) - QUIET_ZONE;
        if (mx >= 0 && mx < size && data[my]![mx]) row[x + 1] = 0;
      }
    rows.push(Buffer.from(row));
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(width, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}
