/**
 * Step 1: bytes → text. Archives and compression are unwrapped layer by layer (gzip, gzip inside gzip,
 * a zip of files that may each be gzip), then the text is decoded: UTF-8 with or without a byte order
 * mark, UTF-16 (what Windows PowerShell's `>` writes) and UTF-32 with one, and UTF-16 without one when
 * its first characters say so. CRLF is left to the splitter, which treats `\r` as white space outside
 * strings.
 */
import { DEFAULT_MAX_INFLATED_BYTES, formatBytes, gunzipWithin, isGzip, MAX_GZIP_LAYERS } from './gzip';
import { isZip, listZip, skipReason, unpackEntry } from './zip';

export type RawInput = string | Uint8Array | ArrayBuffer;

const BOM = 0xfeff;

/** The largest input read as text: browsers cannot hold much longer strings (V8: 2^29 − 24 characters). */
export const MAX_INPUT_CHARS = 512 * 1024 * 1024 - 64;

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

export interface SniffedEncoding {
  encoding: TextEncodingName;
  /** Length of the byte order mark to skip. */
  bom: number;
  /** No byte order mark: UTF-16 recognised by the zero bytes of its first characters. */
  guessed: boolean;
}

/** Characters looked at to recognise UTF-16 without a byte order mark. */
const SNIFF_UNITS = 64;

/**
 * UTF-16 without a byte order mark, recognised when the first characters are mostly ASCII (JSON, CSV
 * and log text start with ASCII): one byte of each pair zero, the other not. UTF-8 text never has
 * zero bytes, and UTF-32 has pairs of them, so neither is taken for UTF-16.
 */
function guessUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const units = Math.min(SNIFF_UNITS, bytes.length >> 1);
  if (units < 2) {
    return undefined;
  }
  let le = 0;
  let be = 0;
  for (let i = 0; i < units; i++) {
    const a = bytes[2 * i];
    const b = bytes[2 * i + 1];
    if (a === 0 && b === 0) {
      return undefined;
    }
    if (b === 0) {
      le++;
    } else if (a === 0) {
      be++;
    }
  }
  // Most, not all: a non-ASCII character may have a zero byte on either side (U+00E9 is E9 00 in LE).
  const enough = Math.ceil(units * 0.75);
  if (le >= enough) {
    return 'utf-16le';
  }
  if (be >= enough) {
    return 'utf-16be';
  }
  return undefined;
}

/** The encoding of text bytes, from the byte order mark or, for UTF-16 without one, from its zero bytes. */
export function sniffEncoding(bytes: Uint8Array): SniffedEncoding {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) {
    return { encoding: 'utf-8', bom: 3, guessed: false };
  }
  if (b0 === 0xff && b1 === 0xfe) {
    // FF FE 00 00 is UTF-32's mark, unless it is UTF-16's followed by U+0000, which text does not hold.
    return b2 === 0 && b3 === 0 && bytes.length >= 4
      ? { encoding: 'utf-32le', bom: 4, guessed: false }
      : { encoding: 'utf-16le', bom: 2, guessed: false };
  }
  if (b0 === 0xfe && b1 === 0xff) {
    return { encoding: 'utf-16be', bom: 2, guessed: false };
  }
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) {
    return { encoding: 'utf-32be', bom: 4, guessed: false };
  }
  const utf16 = guessUtf16(bytes);
  return utf16 ? { encoding: utf16, bom: 0, guessed: true } : { encoding: 'utf-8', bom: 0, guessed: false };
}

const decoders: Partial<Record<TextEncodingName, TextDecoder>> = {};

function decoderFor(encoding: 'utf-8' | 'utf-16le' | 'utf-16be'): TextDecoder | undefined {
  try {
    decoders[encoding] ??= new TextDecoder(encoding, { fatal: false, ignoreBOM: true });
    return decoders[encoding];
  } catch {
    // A runtime without UTF-16BE (Node built without ICU): swap the bytes and read UTF-16LE.
    return undefined;
  }
}

/** Bytes swapped in pairs (UTF-16BE → UTF-16LE); a last odd byte is kept. */
function swapPairs(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1];
    out[i + 1] = bytes[i];
  }
  if (bytes.length & 1) {
    out[bytes.length - 1] = bytes[bytes.length - 1];
  }
  return out;
}

/** UTF-32 (TextDecoder does not read it); invalid code points and a cut last character become U+FFFD. */
function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  const codes: number[] = [];
  const whole = bytes.length - (bytes.length % 4);
  for (let i = 0; i < whole; i += 4) {
    const c = view.getUint32(i, littleEndian);
    codes.push(c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ? 0xfffd : c);
    if (codes.length === 8192) {
      parts.push(String.fromCodePoint(...codes));
      codes.length = 0;
    }
  }
  if (whole < bytes.length) {
    codes.push(0xfffd);
  }
  parts.push(String.fromCodePoint(...codes));
  return parts.join('');
}

/** Text bytes (without their byte order mark) in the given encoding; invalid sequences become U+FFFD. */
export function decodeBytes(bytes: Uint8Array, encoding: TextEncodingName): string {
  switch (encoding) {
    case 'utf-32le':
    case 'utf-32be':
      return decodeUtf32(bytes, encoding === 'utf-32le');
    case 'utf-16be': {
      const decoder = decoderFor('utf-16be');
      return decoder ? decoder.decode(bytes) : decoderFor('utf-16le')!.decode(swapPairs(bytes));
    }
    default:
      return decoderFor(encoding)!.decode(bytes);
  }
}

/** Characters in the text of `bytes` at most (to refuse text too long for a string before decoding it). */
function maxChars(bytes: number, encoding: TextEncodingName): number {
  // UTF-16: a character per 2 bytes; UTF-32: one or two (a surrogate pair) per 4 bytes.
  return encoding === 'utf-8' ? bytes : Math.ceil(bytes / 2);
}

/**
 * Decodes input to a string without a leading BOM. Invalid bytes become U+FFFD. Strings are taken as
 * decoded (the browser decodes pasted text); only a UTF-8 byte order mark is dropped.
 */
export function decodeInput(input: RawInput): string {
  if (typeof input !== 'string') {
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    const sniffed = sniffEncoding(bytes);
    return decodeBytes(bytes.subarray(sniffed.bom), sniffed.encoding);
  }
  return input.charCodeAt(0) === BOM ? input.slice(1) : input;
}

/** Size of the input in bytes (UTF-16 length for strings is a good enough stand-in for stats). */
export function inputSize(input: RawInput): number {
  return typeof input === 'string' ? input.length : input.byteLength;
}

const ENCODING_LABELS: Record<TextEncodingName, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
  'utf-32le': 'UTF-32 LE',
  'utf-32be': 'UTF-32 BE',
};

/** Most file names listed in a zip's note; the rest are counted. */
const MAX_LISTED_FILES = 20;

export interface UnpackedText {
  text: string;
  /** The outermost layer: the input was gzip, or a zip. */
  compression?: 'gzip' | 'zip';
  notes: string[];
  /** What unpacking did that is no problem (files read from a zip, gzip layers, an encoding guessed). */
  info: string[];
}

/** What unpacking has used up so far, across all layers and files. */
interface Unpacking {
  limit: number;
  /** Bytes inflated (or taken from a zip) so far: all layers and files together stay within `limit`. */
  inflated: number;
  /** Characters of text so far: the joined text must fit in a string. */
  chars: number;
  notes: string[];
  /** What unpacking did that is no problem (files read from a zip, gzip layers). */
  info: string[];
}

/** Where a layer is, for notes: the input itself, or a file in a zip ("a.log.gz in the zip"). */
function subject(where: string | undefined): string {
  return where === undefined ? 'The input' : `The file ${where}`;
}

/** Where a layer is and what came before it. */
interface Layer {
  /** Layers (gzip, zip) around this one. */
  depth: number;
  /** A file in a zip, or undefined for the input itself. */
  where: string | undefined;
  /** Line of the joined text this layer's text starts on. */
  firstLine: number;
  /** A layer around this one was cut short: this one is too, which needs no note of its own. */
  cut: boolean;
}

function countLineFeeds(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    n++;
  }
  return n;
}

/** Decoded bytes, or '' with a note when they cannot become a string. */
function toText(bytes: Uint8Array, u: Unpacking, layer: Layer): string {
  const sniffed = sniffEncoding(bytes);
  const body = bytes.subarray(sniffed.bom);
  const what = subject(layer.where);
  if (u.chars + maxChars(body.length, sniffed.encoding) > MAX_INPUT_CHARS) {
    u.notes.push(
      `${what} is ${Math.round(bytes.length / 1024 / 1024)} MB, more than the ${Math.round(MAX_INPUT_CHARS / 1024 / 1024)} MB a browser can read as text${u.chars > 0 ? ' together with the files before it' : ''}: split it, or filter it before exporting.`
    );
    return '';
  }
  let text: string;
  try {
    text = decodeBytes(body, sniffed.encoding);
  } catch (e) {
    u.notes.push(`${what} could not be read as text (${e instanceof Error ? e.message : String(e)}).`);
    return '';
  }
  const label = ENCODING_LABELS[sniffed.encoding];
  if (sniffed.guessed) {
    u.info.push(`${what} has no byte order mark but its zero bytes say it is ${label} text: it was read as ${label}.`);
  }
  const unit = sniffed.encoding.startsWith('utf-16') ? 2 : sniffed.encoding.startsWith('utf-32') ? 4 : 1;
  if (body.length % unit !== 0 && !layer.cut) {
    u.notes.push(`${what} is ${label} text that ends inside a character (truncated?).`);
  }
  u.chars += text.length;
  return text;
}

/** Bytes → text, unwrapping gzip (up to MAX_GZIP_LAYERS layers in all) and zip layers. */
function unpack(bytes: Uint8Array, u: Unpacking, layer: Layer): string {
  if (isGzip(bytes)) {
    return unpackGzip(bytes, u, layer);
  }
  if (isZip(bytes)) {
    return unpackZip(bytes, u, layer);
  }
  return toText(bytes, u, layer);
}

function tooDeep(u: Unpacking, layer: Layer, what: string): string {
  u.notes.push(
    `${subject(layer.where)} is still ${what} inside ${MAX_GZIP_LAYERS} layers of gzip or zip: it was not read further.`
  );
  return '';
}

function unpackGzip(bytes: Uint8Array, u: Unpacking, layer: Layer): string {
  let layers = 0;
  let cut = layer.cut;
  while (isGzip(bytes)) {
    if (layer.depth + layers >= MAX_GZIP_LAYERS) {
      return tooDeep(u, layer, 'gzip');
    }
    const inflated = gunzipWithin(bytes, u.limit - u.inflated, u.limit);
    layers++;
    u.inflated += inflated.bytes.length;
    // A layer cut short leaves the next one cut short too: only the first such problem is news.
    if (inflated.error && (inflated.overLimit || !cut)) {
      const inside = layers > 1 ? ` inside gzip (layer ${layers})` : '';
      u.notes.push(`${subject(layer.where)} is gzip${inside}, but ${inflated.error}.`);
    }
    cut ||= inflated.error !== undefined;
    bytes = inflated.bytes;
  }
  if (layers > 1) {
    u.info.push(`${subject(layer.where)} is gzip inside gzip: ${layers} layers of gzip were inflated.`);
  }
  const inner = { ...layer, depth: layer.depth + layers, cut };
  return isZip(bytes) ? unpackZip(bytes, u, inner) : toText(bytes, u, inner);
}

interface ReadFile {
  name: string;
  first: number;
  last: number;
}

function describeRead(files: ReadFile[]): string {
  const listed = files.slice(0, MAX_LISTED_FILES).map((f) => {
    if (f.last < f.first) {
      return `${f.name} (empty)`;
    }
    return f.first === f.last ? `${f.name} (line ${f.first})` : `${f.name} (lines ${f.first}–${f.last})`;
  });
  const more = files.length > MAX_LISTED_FILES ? `, and ${files.length - MAX_LISTED_FILES} more` : '';
  return listed.join(', ') + more;
}

function describeSkipped(skipped: Array<{ name: string; why: string }>, clutter: Map<string, number>): string {
  const listed = skipped.slice(0, MAX_LISTED_FILES).map((s) => `${s.name} (${s.why})`);
  if (skipped.length > MAX_LISTED_FILES) {
    listed.push(`${skipped.length - MAX_LISTED_FILES} more`);
  }
  for (const [why, n] of clutter) {
    listed.push(`${n} ${n === 1 ? 'file' : 'files'} of ${why}`);
  }
  return listed.join(', ');
}

/**
 * The files of a zip, each unwrapped and decoded on its own, joined in archive order with a line
 * break between them. A note says which files were read (with their lines in the joined text, so
 * that issues can be traced to files) and which were not, and why.
 */
function unpackZip(bytes: Uint8Array, u: Unpacking, layer: Layer): string {
  if (layer.depth >= MAX_GZIP_LAYERS) {
    return tooDeep(u, layer, 'a zip');
  }
  const what = subject(layer.where);
  const listing = listZip(bytes);
  if (!layer.cut) {
    for (const problem of listing.problems) {
      u.notes.push(`${what} is a zip, but ${problem}.`);
    }
  }
  const texts: string[] = [];
  const read: ReadFile[] = [];
  const skipped: Array<{ name: string; why: string }> = [];
  /** Files of operating system metadata (__MACOSX/, .DS_Store), counted by kind rather than listed. */
  const clutter = new Map<string, number>();
  let line = layer.firstLine;
  let full = false;
  for (const entry of listing.entries) {
    const skip = skipReason(entry);
    if (skip) {
      if (skip.kind === 'clutter') {
        clutter.set(skip.why, (clutter.get(skip.why) ?? 0) + 1);
      } else if (skip.kind === 'file') {
        skipped.push({ name: entry.name, why: skip.why });
      }
      continue;
    }
    if (full || u.inflated >= u.limit) {
      skipped.push({ name: entry.name, why: `over the ${formatBytes(u.limit)} limit` });
      continue;
    }
    const where = `${entry.name} in ${layer.where === undefined ? 'the zip' : layer.where}`;
    const unpacked = unpackEntry(entry, u.limit - u.inflated, u.limit);
    u.inflated += unpacked.bytes.length;
    if (unpacked.error && (unpacked.overLimit || !layer.cut)) {
      u.notes.push(`${subject(where)}: ${unpacked.error}.`);
    }
    full ||= unpacked.overLimit === true;
    if (texts.length > 0) {
      u.chars++;
    }
    const text = unpack(unpacked.bytes, u, {
      depth: layer.depth + 1,
      where,
      firstLine: line,
      cut: layer.cut || unpacked.error !== undefined,
    });
    const lineFeeds = countLineFeeds(text);
    texts.push(text);
    read.push({
      name: entry.name,
      first: line,
      last: text === '' ? line - 1 : line + lineFeeds - (text.endsWith('\n') ? 1 : 0),
    });
    line += lineFeeds + 1;
  }
  const parts = [
    read.length === 0
      ? 'no files were read'
      : `read ${read.length === 1 ? '1 file' : `${read.length} files`}: ${describeRead(read)}`,
  ];
  if (skipped.length > 0 || clutter.size > 0) {
    parts.push(`not read: ${describeSkipped(skipped, clutter)}`);
  }
  // Which files were read (and their lines) is information; files left out are worth a warning.
  (skipped.length > 0 || read.length === 0 ? u.notes : u.info).push(`${what} is a zip; ${parts.join('; ')}.`);
  return texts.join('\n');
}

/**
 * Binary input as text: gzip and zip layers unwrapped (their inflated bytes, all together, at most
 * `maxInflatedBytes`), then decoded. Never throws: problems are notes.
 */
export function unpackInput(bytes: Uint8Array, maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES): UnpackedText {
  const u: Unpacking = { limit: maxInflatedBytes, inflated: 0, chars: 0, notes: [], info: [] };
  const compression = isGzip(bytes) ? 'gzip' : isZip(bytes) ? 'zip' : undefined;
  let text: string;
  try {
    text = unpack(bytes, u, { depth: 0, where: undefined, firstLine: 1, cut: false });
  } catch (e) {
    // Not expected (every layer reports its own problems), but input must never make parsing throw.
    u.notes.push(`The input could not be read (${e instanceof Error ? e.message : String(e)}).`);
    text = '';
  }
  return { text, notes: u.notes, info: u.info, ...(compression ? { compression } : {}) };
}
