/**
 * .zip archives of log files, read without trusting them: files are listed from the central directory
 * (the list at the end of the archive), or, when that is missing or broken (a truncated download), by
 * scanning the local headers from the start. Each file is then inflated on its own with what is left
 * of the size limit, so neither one large file nor many small ones (nor entries that overlap, a known
 * zip bomb) inflate past it. Never throws: problems are reported as sentences.
 */
import { Inflate } from 'fflate';

import { inflateError, streamLimited } from './gzip';

/** Local file header, central directory header, end of central directory, zip64 records, data descriptor. */
const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const END64 = 0x06064b50;
const END64_LOCATOR = 0x07064b50;
const DESCRIPTOR = 0x08074b50;

const STORED = 0;
const DEFLATED = 8;

const METHODS: Record<number, string> = {
  1: 'Shrink',
  6: 'Implode',
  9: 'Deflate64',
  12: 'bzip2',
  14: 'LZMA',
  93: 'Zstandard',
  95: 'XZ',
  98: 'PPMd',
  99: 'AES encryption',
};

export function isZip(bytes: Uint8Array): boolean {
  // A local file header, or the end record alone (an empty archive).
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (u32(bytes, 0) === LOCAL || u32(bytes, 0) === END)
  );
}

export interface ZipEntry {
  /** Path in the archive, `/`-separated. */
  name: string;
  /** Compression method (0 stored, 8 deflate; others are not supported). */
  method: number;
  /** General purpose flags (bit 0: encrypted). */
  flags: number;
  /** The file's data as stored (compressed), possibly cut short (`truncated`). */
  data: Uint8Array;
  /** Size the archive declares for the file once inflated, when it declares one. */
  originalSize?: number;
  /** The archive ends inside this file's data. */
  truncated: boolean;
}

export interface ZipListing {
  /** Files and directories in archive order. */
  entries: ZipEntry[];
  /** Problems with the archive as a whole, as clauses ("its central directory is missing …"). */
  problems: string[];
}

function u16(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8);
}

function u32(b: Uint8Array, i: number): number {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
}

/** A little-endian 64-bit number (exact up to 2^53, far beyond anything read here). */
function u64(b: Uint8Array, i: number): number {
  return u32(b, i) + u32(b, i + 4) * 0x100000000;
}

let utf8: TextDecoder | undefined;

function fileName(b: Uint8Array): string {
  // Names are UTF-8 (flag bit 11) or, by the spec, code page 437; tools write the local code page
  // without saying so. Names only go into notes: read them as UTF-8 whatever they are.
  utf8 ??= new TextDecoder('utf-8', { fatal: false });
  return utf8.decode(b);
}

/** Sizes (and the offset) that did not fit in 32 bits, from the zip64 extra field, in their order. */
function zip64Extra(b: Uint8Array, start: number, end: number, wanted: boolean[]): Array<number | undefined> {
  const values: Array<number | undefined> = wanted.map(() => undefined);
  for (let i = start; i + 4 <= end;) {
    const id = u16(b, i);
    const size = u16(b, i + 2);
    if (id === 0x0001) {
      let at = i + 4;
      for (let k = 0; k < wanted.length; k++) {
        if (wanted[k] && at + 8 <= Math.min(end, i + 4 + size)) {
          values[k] = u64(b, at);
          at += 8;
        }
      }
      break;
    }
    i += 4 + size;
  }
  return values;
}

interface Directory {
  count: number;
  size: number;
  offset: number;
}

/** The end of central directory record (and its zip64 form), or undefined when there is none. */
function findDirectory(b: Uint8Array): Directory | undefined {
  // The record is 22 bytes and may be followed by a comment of up to 65535 bytes.
  const last = Math.max(0, b.length - 22 - 0xffff);
  for (let i = b.length - 22; i >= last; i--) {
    if (u32(b, i) !== END || i + 22 + u16(b, i + 20) > b.length) {
      continue;
    }
    let count = u16(b, i + 10);
    let size = u32(b, i + 12);
    let offset = u32(b, i + 16);
    if (
      (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) &&
      i >= 20 &&
      u32(b, i - 20) === END64_LOCATOR
    ) {
      const at = u64(b, i - 12);
      if (at + 56 <= b.length && u32(b, at) === END64) {
        count = u64(b, at + 32);
        size = u64(b, at + 40);
        offset = u64(b, at + 48);
      }
    }
    return { count, size, offset };
  }
  return undefined;
}

/** Where a file's data starts, from its local header at `offset`, or undefined when there is no header there. */
/** A file of the archive whose data lies at [start, end) (cut where the archive ends). */
function entryAt(
  b: Uint8Array,
  header: Pick<ZipEntry, 'name' | 'method' | 'flags' | 'originalSize'>,
  start: number,
  end: number
): ZipEntry {
  return { ...header, data: b.subarray(start, Math.min(end, b.length)), truncated: end > b.length };
}

function dataStart(b: Uint8Array, offset: number): number | undefined {
  if (offset + 30 > b.length || u32(b, offset) !== LOCAL) {
    return undefined;
  }
  const start = offset + 30 + u16(b, offset + 26) + u16(b, offset + 28);
  return start <= b.length ? start : undefined;
}

/** The files the central directory lists, or undefined (with a problem said) when it cannot be read. */
function readDirectory(b: Uint8Array, dir: Directory, problems: string[]): ZipEntry[] | undefined {
  const entries: ZipEntry[] = [];
  let i = dir.offset;
  for (let n = 0; n < dir.count; n++) {
    if (i + 46 > b.length || u32(b, i) !== CENTRAL) {
      problems.push('its central directory (the list of files at its end) is corrupt, so files were found by scanning');
      return undefined;
    }
    const flags = u16(b, i + 8);
    const method = u16(b, i + 10);
    let size = u32(b, i + 20);
    let originalSize = u32(b, i + 24);
    const nameLength = u16(b, i + 28);
    const extraLength = u16(b, i + 30);
    const commentLength = u16(b, i + 32);
    let offset = u32(b, i + 42);
    const nameEnd = i + 46 + nameLength;
    const next = nameEnd + extraLength + commentLength;
    if (next > b.length) {
      problems.push(
        'its central directory (the list of files at its end) is cut short, so files were found by scanning'
      );
      return undefined;
    }
    if (size === 0xffffffff || originalSize === 0xffffffff || offset === 0xffffffff) {
      const [o, s, at] = zip64Extra(b, nameEnd, nameEnd + extraLength, [
        originalSize === 0xffffffff,
        size === 0xffffffff,
        offset === 0xffffffff,
      ]);
      originalSize = o ?? originalSize;
      size = s ?? size;
      offset = at ?? offset;
    }
    const name = fileName(b.subarray(i + 46, nameEnd));
    const start = dataStart(b, offset);
    if (start === undefined) {
      problems.push(`the central directory places ${name} where there is no file`);
    } else {
      entries.push(entryAt(b, { name, method, flags, originalSize }, start, start + size));
    }
    i = next;
  }
  return entries;
}

/** Whether a file's data can end at `at`: the next header (or the end of what there is) follows. */
function endsAt(b: Uint8Array, at: number): boolean {
  return at + 4 > b.length || (b[at] === 0x50 && b[at + 1] === 0x4b);
}

/** Length of a data descriptor at `at`, whichever form (with or without signature, zip64 or not) fits. */
function descriptorLength(b: Uint8Array, at: number, zip64: boolean): number {
  const signed = at + 4 <= b.length && u32(b, at) === DESCRIPTOR ? 4 : 0;
  const forms = zip64 ? [20, 12] : [12, 20];
  return signed + (forms.find((n) => endsAt(b, at + signed + n)) ?? forms[0]);
}

/**
 * The end of the data of a file whose sizes follow it (flag bit 3, streaming writers): the data
 * descriptor whose compressed size is the distance from `start` and after which the next header
 * comes. Undefined when there is none (the archive is cut short inside the file).
 */
function findDescriptor(
  b: Uint8Array,
  start: number,
  zip64: boolean
): { end: number; next: number; originalSize: number } | undefined {
  for (let i = start; i + 16 <= b.length; i++) {
    if (b[i] !== 0x50 || b[i + 1] !== 0x4b || u32(b, i) !== DESCRIPTOR) {
      continue;
    }
    const size32 = u32(b, i + 8) === i - start;
    const size64 = i + 24 <= b.length && u64(b, i + 8) === i - start;
    for (const length of zip64 ? [24, 16] : [16, 24]) {
      if (length === 16 ? size32 : size64) {
        if (endsAt(b, i + length)) {
          return { end: i, next: i + length, originalSize: length === 16 ? u32(b, i + 12) : u64(b, i + 16) };
        }
      }
    }
  }
  return undefined;
}

/** The files found by walking the local headers from the start (the central directory is missing or broken). */
function scanLocalHeaders(b: Uint8Array, problems: string[]): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let i = 0;
  while (i + 4 <= b.length && u32(b, i) === LOCAL) {
    const start = dataStart(b, i);
    if (start === undefined) {
      problems.push('it ends inside the header of a file');
      return entries;
    }
    const flags = u16(b, i + 6);
    const method = u16(b, i + 8);
    let size = u32(b, i + 18);
    let originalSize: number | undefined = u32(b, i + 22);
    const nameEnd = i + 30 + u16(b, i + 26);
    const name = fileName(b.subarray(i + 30, nameEnd));
    const zip64 = size === 0xffffffff || originalSize === 0xffffffff;
    if (zip64) {
      const [o, s] = zip64Extra(b, nameEnd, start, [true, true]);
      originalSize = o ?? originalSize;
      size = s ?? size;
    }
    let end: number;
    let next: number;
    if (flags & 8 && size === 0) {
      // Sizes come after the data: find them.
      const found = findDescriptor(b, start, zip64);
      if (found === undefined) {
        entries.push({ name, method, flags, data: b.subarray(start), truncated: true });
        return entries;
      }
      ({ end, next, originalSize } = found);
    } else {
      end = start + size;
      next = flags & 8 ? end + descriptorLength(b, end, zip64) : end;
    }
    entries.push(entryAt(b, { name, method, flags, originalSize }, start, end));
    i = next;
  }
  if (i + 4 <= b.length && u32(b, i) !== CENTRAL && u32(b, i) !== END) {
    const after = entries.length === 1 ? 'its first file' : `its first ${entries.length} files`;
    problems.push(
      `${entries.length === 0 ? 'it holds' : `after ${after} comes`} data that is not a file (a corrupt zip?)`
    );
  }
  return entries;
}

/** The files and directories in a zip, in archive order. */
export function listZip(bytes: Uint8Array): ZipListing {
  const problems: string[] = [];
  const dir = findDirectory(bytes);
  if (dir) {
    const entries = readDirectory(bytes, dir, problems);
    if (entries) {
      return { entries, problems };
    }
  } else {
    problems.push(
      'its central directory (the list of files at its end) is missing (a truncated download?), so files were found by scanning'
    );
  }
  return { entries: scanLocalHeaders(bytes, problems), problems };
}

/**
 * Why an entry is not read, or undefined when it is. Directories are passed over in silence, operating
 * system metadata (`__MACOSX/`, `.DS_Store`) is only counted; other files are named with the reason.
 */
export function skipReason(entry: ZipEntry): { kind: 'directory' | 'clutter' | 'file'; why: string } | undefined {
  const name = entry.name;
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (name.endsWith('/')) {
    return { kind: 'directory', why: 'a directory' };
  }
  if (/(^|\/)__MACOSX\//.test(name) || base === '.DS_Store' || base.startsWith('._')) {
    return { kind: 'clutter', why: 'macOS metadata' };
  }
  if (base === 'Thumbs.db' || base === 'desktop.ini') {
    return { kind: 'clutter', why: 'Windows metadata' };
  }
  if (entry.flags & 1) {
    return { kind: 'file', why: 'encrypted' };
  }
  if (entry.method !== STORED && entry.method !== DEFLATED) {
    const method = METHODS[entry.method];
    return {
      kind: 'file',
      why: `compressed with ${method ? `${method} (method ${entry.method})` : `method ${entry.method}`}, which cannot be read here: zip it with the usual Deflate`,
    };
  }
  return undefined;
}

export interface Unpacked {
  /** The file's bytes, or as many as were read. */
  bytes: Uint8Array;
  /** Why reading stopped early or the result is doubtful, as a clause. */
  error?: string;
  overLimit?: boolean;
}

/**
 * A file's bytes, inflated to at most `room` bytes (what is left of `limit`). Stored files are
 * limited the same way, so entries sharing their data cannot multiply it.
 */
export function unpackEntry(entry: ZipEntry, room: number, limit: number): Unpacked {
  room = Math.max(0, room);
  let bytes: Uint8Array;
  let error: string | undefined;
  let overLimit = false;
  if (entry.method === STORED) {
    overLimit = entry.data.length > room;
    bytes = overLimit ? entry.data.subarray(0, room) : entry.data;
    if (overLimit) {
      error = inflateError({ bytes, overLimit }, 'zip', room, limit);
    }
  } else {
    const out = streamLimited((ondata) => new Inflate(ondata), entry.data, room);
    bytes = out.bytes;
    overLimit = out.overLimit;
    error = inflateError(out, 'zip', room, limit);
  }
  if (entry.truncated && !overLimit) {
    error = 'the zip ends inside it (truncated?); what came before was read';
  } else if (error === undefined && entry.originalSize !== undefined && bytes.length !== entry.originalSize) {
    error = `it is ${bytes.length} bytes, not the ${entry.originalSize} the zip declares (a corrupt zip?)`;
  }
  return { bytes, error, overLimit };
}
