// Takes real workbooks apart and puts them back together with the lies an attacker tells: an
// entry whose zip directory understates how large it inflates, headers that disagree, records
// the count leaves out. The inflating sheet is a real deflate stream built from independent,
// byte-aligned segments (a full flush resets the dictionary), so 800 MB of XML costs ~800 KB and
// no time to make.
import { constants, crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';

export interface RawEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  /** Declared sizes, in the directory and (unless descriptor) the local header. */
  compressedSize: number;
  uncompressedSize: number;
  data: Buffer;
}

/** The entries of a plain zip (what exceljs writes), with their compressed bytes. */
export function readZip(zip: Buffer): RawEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out: RawEntry[] = [];
  for (let n = 0; n < count; n++) {
    const nameLen = zip.readUInt16LE(p + 28);
    const compressedSize = zip.readUInt32LE(p + 20);
    const local = zip.readUInt32LE(p + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    out.push({
      name: zip.toString('utf8', p + 46, p + 46 + nameLen),
      flags: zip.readUInt16LE(p + 8) & ~0x8,
      method: zip.readUInt16LE(p + 10),
      crc: zip.readUInt32LE(p + 16),
      compressedSize,
      uncompressedSize: zip.readUInt32LE(p + 24),
      data: zip.subarray(start, start + compressedSize),
    });
    p += 46 + nameLen + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return out;
}

export interface WriteOptions {
  /** Local headers that carry zeros and set flag bit 3, sizes only in the directory. */
  descriptor?: boolean;
  /** Patch a local header after it is written (to make it disagree with the directory). */
  patchLocal?: (name: string, header: Buffer) => void;
  /** Directory records written after the counted ones (the end record counts only these). */
  uncounted?: number;
  /** Bytes in front of the zip, with offsets left as if they were not there. */
  prepend?: Buffer;
  /** Directory records (by index) that point at another entry's local header: [from, to]. */
  pointAt?: [number, number];
}

export function writeZip(entries: readonly RawEntry[], o: WriteOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const e of entries) {
    offsets.push(offset);
    const name = Buffer.from(e.name);
    const flags = e.flags | (o.descriptor ? 0x8 : 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(e.method, 8);
    if (!o.descriptor) {
      local.writeUInt32LE(e.crc, 14);
      local.writeUInt32LE(e.compressedSize, 18);
      local.writeUInt32LE(e.uncompressedSize, 22);
    }
    local.writeUInt16LE(name.length, 26);
    o.patchLocal?.(e.name, local);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(e.method, 10);
    central.writeUInt32LE(e.crc, 16);
    central.writeUInt32LE(e.compressedSize, 20);
    central.writeUInt32LE(e.uncompressedSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(o.pointAt?.[0] === offsets.length - 1 ? offsets[o.pointAt[1]]! : offset, 42);
    // A real descriptor follows the data; JSZip never reads it, so neither does the guard.
    const descriptor = o.descriptor ? Buffer.alloc(16) : Buffer.alloc(0);
    if (o.descriptor) {
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(e.crc, 4);
      descriptor.writeUInt32LE(e.compressedSize, 8);
      descriptor.writeUInt32LE(e.uncompressedSize, 12);
    }
    locals.push(local, name, e.data, descriptor);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length + descriptor.length;
  }
  const counted = entries.length - (o.uncounted ?? 0);
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(counted, 8);
  eocd.writeUInt16LE(counted, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([o.prepend ?? Buffer.alloc(0), ...locals, cd, eocd]);
}

/** A real workbook from exceljs: sheet "Data", header "text", one row per given text. */
export async function realWorkbook(texts: readonly string[] = ['hello']): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Data');
  ws.addRow(['text']);
  for (const t of texts) ws.addRow([t]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const SHEET = 'xl/worksheets/sheet1.xml';
const MiB = 1024 * 1024;

/**
 * The workbook with `fillerMiB` MiB of whitespace inside its sheet's <sheetData> (still valid
 * XML), compressed ~1000:1. `declared`: the uncompressed size the zip states for the sheet —
 * 'honest', or a number (the lie: e.g. the original sheet's size).
 */
export async function inflatingWorkbook(fillerMiB: number, declared: 'honest' | number, o: WriteOptions = {}): Promise<Buffer> {
  const entries = readZip(await realWorkbook());
  const sheet = entries.find((e) => e.name === SHEET)!;
  const xml = sheet.method === 0 ? sheet.data : inflateRawSync(sheet.data);
  const cut = xml.indexOf('</sheetData>');
  const prefix = xml.subarray(0, cut);
  const suffix = xml.subarray(cut);
  const filler = Buffer.alloc(MiB, 0x20);
  const flush = { finishFlush: constants.Z_FULL_FLUSH, level: 9 };
  const fillerSegment = deflateRawSync(filler, flush);
  const data = Buffer.concat([deflateRawSync(prefix, flush), ...Array.from({ length: fillerMiB }, () => fillerSegment), deflateRawSync(suffix)]);
  let crc = crc32(prefix);
  for (let i = 0; i < fillerMiB; i++) crc = crc32(filler, crc);
  crc = crc32(suffix, crc);
  const size = prefix.length + fillerMiB * MiB + suffix.length;
  const bomb: RawEntry = { ...sheet, method: 8, crc, compressedSize: data.length, uncompressedSize: declared === 'honest' ? size : declared, data };
  return writeZip(entries.map((e) => (e.name === SHEET ? bomb : e)), o);
}
