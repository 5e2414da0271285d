// Checks an .xlsx (a zip) before exceljs reads it. exceljs hands the whole file to JSZip, which
// trusts the central directory and inflates every entry whole into memory before it compares the
// result with the declared size: a directory that understates one entry let 800 MB inflate from
// an 815 KB upload. So the guard does not trust what the zip claims. It reads the archive exactly
// as JSZip will (the same end record, the same directory entries, the same data ranges), refuses
// anything JSZip would read differently from a plain zip, and then inflates every entry itself,
// streaming and discarding, counting the bytes as they come out: it stops the moment an entry
// passes its declared size or the total passes the limit. What JSZip later inflates is then
// proven to be at most `maxTotalBytes`.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { ParlaError } from '../../shared/errors.js';

export interface ZipLimits {
  maxEntries: number;
  /** Bytes all entries inflate to together, counted while inflating. */
  maxTotalBytes: number;
  /** Per entry, declared uncompressed / compressed, for entries above 1 MiB. */
  maxRatio: number;
}

export const ZIP_DEFAULTS: ZipLimits = { maxEntries: 10_000, maxTotalBytes: 512 * 1024 * 1024, maxRatio: 200 };

const EOCD_SIGNATURE = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const CDH_SIG = 0x02014b50;
const LFH_SIG = 0x04034b50;
const EOCD_LEN = 22;
const CDH_LEN = 46;
const LFH_LEN = 30;
const STORED = 0;
const DEFLATED = 8;
const FLAG_ENCRYPTED = 0x1;
/** Sizes and CRC follow the data (a data descriptor); the local header holds zeros. */
const FLAG_DESCRIPTOR = 0x8;
/** Entries declared up to this size are inflated in one call (its output is capped at the size). */
const SMALL_ENTRY = 1024 * 1024;
/** Bytes handed to zlib, and taken from it, at a time: memory stays bounded for any entry. */
const STREAM_CHUNK = 256 * 1024;

interface Entry {
  name: string;
  nameBytes: Buffer;
  flags: number;
  method: number;
  crc: number;
  compressed: number;
  uncompressed: number;
  localOffset: number;
}

/** Throws for a zip that is unsafe to hand to exceljs; returns its entry names. */
export async function checkZip(data: Buffer, file: string, limits: ZipLimits = ZIP_DEFAULTS): Promise<string[]> {
  const entries = readDirectory(data, file, limits);
  const dataRanges = entries.map((e) => ({ entry: e, ...localData(data, file, e) }));
  refuseOverlaps(file, dataRanges);
  let total = 0;
  for (const { entry, start } of dataRanges) {
    total += await inflatedSize(data.subarray(start, start + entry.compressed), entry, file, limits.maxTotalBytes - total, limits.maxTotalBytes);
  }
  return entries.map((e) => e.name);
}

const notXlsx = (file: string, why: string) => new ParlaError('BAD_FILE', `${file} is not a valid .xlsx (${why})`);
const tooBig = (file: string, limit: number) => new ParlaError('TOO_LARGE', `${file} expands to more than ${limit} bytes (suspected zip bomb)`);

/** The central directory as JSZip reads it, refusing every layout where it would read another. */
function readDirectory(data: Buffer, file: string, limits: ZipLimits): Entry[] {
  // JSZip takes the last end-of-directory signature anywhere in the file.
  const eocd = data.lastIndexOf(EOCD_SIGNATURE);
  if (eocd < 0 || eocd + EOCD_LEN > data.length) throw notXlsx(file, 'zip directory missing or truncated');
  const disk = data.readUInt16LE(eocd + 4);
  const cdDisk = data.readUInt16LE(eocd + 6);
  const onDisk = data.readUInt16LE(eocd + 8);
  const count = data.readUInt16LE(eocd + 10);
  const cdSize = data.readUInt32LE(eocd + 12);
  const cdOffset = data.readUInt32LE(eocd + 16);
  const commentLen = data.readUInt16LE(eocd + 20);
  if ([disk, cdDisk, onDisk, count].includes(0xffff) || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    throw new ParlaError('TOO_LARGE', `${file} is a zip64 archive; workbooks that large are not supported`);
  }
  if (disk !== 0 || cdDisk !== 0 || onDisk !== count) throw notXlsx(file, 'a multi-part zip');
  if (eocd + EOCD_LEN + commentLen !== data.length) throw notXlsx(file, 'zip directory missing or truncated');
  // Where the directory does not end at the end record, JSZip shifts every offset (as for data
  // prepended to a zip) and would read another directory than the one checked here.
  if (cdOffset + cdSize !== eocd) throw notXlsx(file, 'zip directory not where the zip says');
  if (count > limits.maxEntries) throw new ParlaError('TOO_LARGE', `${file} holds ${count} zip entries (limit ${limits.maxEntries})`);
  const entries: Entry[] = [];
  let declaredTotal = 0;
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + CDH_LEN > eocd || data.readUInt32LE(p) !== CDH_SIG) throw notXlsx(file, 'corrupt zip directory');
    const nameLen = data.readUInt16LE(p + 28);
    const end = p + CDH_LEN + nameLen + data.readUInt16LE(p + 30) + data.readUInt16LE(p + 32);
    if (end > eocd) throw notXlsx(file, 'corrupt zip directory');
    const nameBytes = data.subarray(p + CDH_LEN, p + CDH_LEN + nameLen);
    const entry: Entry = {
      name: nameBytes.toString('utf8'),
      nameBytes,
      flags: data.readUInt16LE(p + 8),
      method: data.readUInt16LE(p + 10),
      crc: data.readUInt32LE(p + 16),
      compressed: data.readUInt32LE(p + 20),
      uncompressed: data.readUInt32LE(p + 24),
      localOffset: data.readUInt32LE(p + 42),
    };
    checkDeclared(entry, file, limits);
    declaredTotal += entry.uncompressed;
    if (declaredTotal > limits.maxTotalBytes) throw tooBig(file, limits.maxTotalBytes);
    entries.push(entry);
    p = end;
  }
  // JSZip reads directory records for as long as it finds one, whatever the count says.
  if (p !== eocd) throw notXlsx(file, 'zip directory holds more than it counts');
  return entries;
}

/** What the directory says, refused before anything is read: cheap refusals first. */
function checkDeclared(e: Entry, file: string, limits: ZipLimits): void {
  if (e.flags & FLAG_ENCRYPTED) throw new ParlaError('BAD_FILE', `${file} is encrypted; save it without a password and try again`);
  if (e.uncompressed === 0xffffffff || e.compressed === 0xffffffff || e.localOffset === 0xffffffff) {
    throw new ParlaError('TOO_LARGE', `${file}: entry ${e.name} is too large (zip64)`);
  }
  if (e.method !== STORED && e.method !== DEFLATED) throw notXlsx(file, `entry ${e.name} uses zip method ${e.method}`);
  if (e.uncompressed > 1024 * 1024 && e.uncompressed / Math.max(1, e.compressed) > limits.maxRatio) {
    throw new ParlaError('TOO_LARGE', `${file}: entry ${e.name} expands ${Math.round(e.uncompressed / Math.max(1, e.compressed))}× (suspected zip bomb)`);
  }
}

/**
 * The entry's data range, found as JSZip finds it (after the local header's own name and extra
 * lengths); the local header must agree with the directory on name, method and, unless they
 * follow the data, sizes and CRC.
 */
function localData(data: Buffer, file: string, e: Entry): { start: number; end: number } {
  const at = e.localOffset;
  if (at + LFH_LEN > data.length || data.readUInt32LE(at) !== LFH_SIG) throw notXlsx(file, `entry ${e.name} has no local header`);
  const flags = data.readUInt16LE(at + 6);
  const nameLen = data.readUInt16LE(at + 26);
  const start = at + LFH_LEN + nameLen + data.readUInt16LE(at + 28);
  const end = start + e.compressed;
  if (end > data.length) throw notXlsx(file, `entry ${e.name} is truncated`);
  const disagrees =
    data.readUInt16LE(at + 8) !== e.method ||
    !data.subarray(at + LFH_LEN, at + LFH_LEN + nameLen).equals(e.nameBytes) ||
    (flags & FLAG_DESCRIPTOR) !== (e.flags & FLAG_DESCRIPTOR) ||
    (!(flags & FLAG_DESCRIPTOR) &&
      (data.readUInt32LE(at + 14) !== e.crc || data.readUInt32LE(at + 18) !== e.compressed || data.readUInt32LE(at + 22) !== e.uncompressed));
  if (disagrees) throw notXlsx(file, `entry ${e.name}: local header and zip directory disagree`);
  return { start, end };
}

/** Entries sharing bytes inflate the same data many times over (an overlapping zip bomb). */
function refuseOverlaps(file: string, ranges: readonly { entry: Entry; end: number }[]): void {
  const sorted = [...ranges].sort((a, b) => a.entry.localOffset - b.entry.localOffset);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.entry.localOffset < sorted[i - 1]!.end) throw notXlsx(file, `entries ${sorted[i - 1]!.entry.name} and ${sorted[i]!.entry.name} overlap`);
  }
}

const pastDeclared = (file: string, e: Entry) =>
  new ParlaError('TOO_LARGE', `${file}: entry ${e.name} inflates past the size its zip directory declares (suspected zip bomb)`);
const corrupt = (file: string, e: Entry, error: unknown) => notXlsx(file, `entry ${e.name} is corrupt: ${(error as Error).message}`);

/**
 * Inflates one entry and counts what comes out, keeping none of it; throws as soon as the entry
 * passes its declared size or the bytes left under the limit, or when it ends short of its size.
 */
async function inflatedSize(compressed: Buffer, e: Entry, file: string, left: number, limit: number): Promise<number> {
  if (e.method === STORED || e.compressed === 0) {
    // Nothing to inflate: stored bytes are the content, and an empty deflated entry holds no
    // stream at all.
    if (e.compressed > left) throw tooBig(file, limit);
    if (e.method === STORED && e.compressed !== e.uncompressed) throw notXlsx(file, `stored entry ${e.name} has two sizes`);
    if (e.method === DEFLATED && e.uncompressed !== 0) throw notXlsx(file, `entry ${e.name} is empty but declares ${e.uncompressed} bytes`);
    return e.compressed;
  }
  const count = e.uncompressed <= SMALL_ENTRY ? inflateSmall(compressed, e, file) : await inflateStreaming(compressed, e, file, left, limit);
  if (count > left) throw tooBig(file, limit);
  if (count !== e.uncompressed) throw notXlsx(file, `entry ${e.name} inflates to ${count} bytes, not the ${e.uncompressed} its zip directory declares`);
  return count;
}

/** Most parts of a workbook are small: one call, its output capped at the declared size. */
function inflateSmall(compressed: Buffer, e: Entry, file: string): number {
  try {
    return inflateRawSync(compressed, { maxOutputLength: Math.max(1, e.uncompressed) }).length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw pastDeclared(file, e);
    throw corrupt(file, e, error);
  }
}

/** A large part streams through zlib; each piece is counted and dropped. */
async function inflateStreaming(compressed: Buffer, e: Entry, file: string, left: number, limit: number): Promise<number> {
  let count = 0;
  const counter = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      count += chunk.length;
      if (count > left) callback(tooBig(file, limit));
      else if (count > e.uncompressed) callback(pastDeclared(file, e));
      else callback();
    },
  });
  try {
    await pipeline(Readable.from(chunks(compressed)), createInflateRaw({ chunkSize: STREAM_CHUNK }), counter);
  } catch (error) {
    if (error instanceof ParlaError) throw error;
    throw corrupt(file, e, error);
  }
  return count;
}

function* chunks(data: Buffer): Generator<Buffer> {
  for (let i = 0; i < data.length; i += STREAM_CHUNK) yield data.subarray(i, i + STREAM_CHUNK);
}
