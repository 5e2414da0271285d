// Checks an .xlsx (a zip) from its central directory before exceljs inflates anything, so a zip
// bomb is refused in microseconds instead of filling memory.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ParlaError } from '../../shared/errors.js';

export interface ZipLimits {
  maxEntries: number;
  /** Sum of declared uncompressed sizes. */
  maxTotalBytes: number;
  /** Per entry, uncompressed / compressed, for entries above 1 MiB. */
  maxRatio: number;
}

export const ZIP_DEFAULTS: ZipLimits = { maxEntries: 10_000, maxTotalBytes: 512 * 1024 * 1024, maxRatio: 200 };

const EOCD_SIG = 0x06054b50;
const CDH_SIG = 0x02014b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;

/** Throws for a zip that is unsafe to inflate; returns its entry names. */
export function checkZip(file: string, limits: ZipLimits = ZIP_DEFAULTS): string[] {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const tailLen = Math.min(size, EOCD_MIN + MAX_COMMENT);
    const tail = Buffer.alloc(tailLen);
    readSync(fd, tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - EOCD_MIN; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIG) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new ParlaError('BAD_FILE', `${file} is not a valid .xlsx (zip directory missing or truncated)`);
    const entries = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (entries === 0xffff || cdOffset === 0xffffffff) {
      throw new ParlaError('TOO_LARGE', `${file} is a zip64 archive; workbooks that large are not supported`);
    }
    if (entries > limits.maxEntries) throw new ParlaError('TOO_LARGE', `${file} holds ${entries} zip entries (limit ${limits.maxEntries})`);
    if (cdOffset + cdSize > size) throw new ParlaError('BAD_FILE', `${file} is not a valid .xlsx (zip directory out of bounds)`);
    const cd = Buffer.alloc(cdSize);
    readSync(fd, cd, 0, cdSize, cdOffset);
    let total = 0;
    let p = 0;
    const names: string[] = [];
    for (let n = 0; n < entries; n++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CDH_SIG) {
        throw new ParlaError('BAD_FILE', `${file} is not a valid .xlsx (corrupt zip directory)`);
      }
      const flags = cd.readUInt16LE(p + 8);
      const compressed = cd.readUInt32LE(p + 20);
      const uncompressed = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
      if (flags & 0x1) throw new ParlaError('BAD_FILE', `${file} is encrypted; save it without a password and try again`);
      if (uncompressed === 0xffffffff || compressed === 0xffffffff) {
        throw new ParlaError('TOO_LARGE', `${file}: entry ${name} is too large (zip64)`);
      }
      if (uncompressed > 1024 * 1024 && uncompressed / Math.max(1, compressed) > limits.maxRatio) {
        throw new ParlaError('TOO_LARGE', `${file}: entry ${name} expands ${Math.round(uncompressed / Math.max(1, compressed))}× (suspected zip bomb)`);
      }
      total += uncompressed;
      if (total > limits.maxTotalBytes) {
        throw new ParlaError('TOO_LARGE', `${file} expands to more than ${limits.maxTotalBytes} bytes (suspected zip bomb)`);
      }
      names.push(name);
      p += 46 + nameLen + extraLen + commentLen;
    }
    return names;
  } finally {
    closeSync(fd);
  }
}
