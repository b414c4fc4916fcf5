/**
 * .zip archives of log files: archives written by fflate, Python's zipfile (streamed, zip64) and
 * Info-ZIP (a macOS folder, zip64 forced), cut short, corrupted and built to inflate past the limit.
 * Fixtures: testdata/encodings (make-encoding-fixtures.py writes them).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import fc from 'fast-check';
import { gzipSync, inflateSync, strToU8, Zip, ZipDeflate, zipSync, type Zippable } from 'fflate';

import { prepareInput } from './detect';
import { parseLogs, type ParseResult } from './index';
import { awsReferenceExamples, TESTDATA } from './testutils';
import { isZip, listZip } from './zip';

const MB = 1024 * 1024;
const examples = awsReferenceExamples();
const lines = examples.map((e) => JSON.stringify(e.json));
const first = lines.slice(0, 11).join('\n') + '\n';
const rest = lines.slice(11).join('\n') + '\n';
const ndjson = first + rest;
const fixture = (name: string) => new Uint8Array(readFileSync(join(TESTDATA, 'encodings', name)));
const bomb = () => new Uint8Array(readFileSync(join(TESTDATA, 'containers', 'gzip-bomb.gz')));

function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    out[2 + 2 * i] = text.charCodeAt(i) & 0xff;
    out[3 + 2 * i] = text.charCodeAt(i) >> 8;
  }
  return out;
}

/** A zip as streaming writers make it: sizes in data descriptors after each file's data. */
function streamedZip(files: Record<string, Uint8Array>): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) {
      throw err;
    }
    chunks.push(chunk);
  });
  for (const [name, data] of Object.entries(files)) {
    const file = new ZipDeflate(name, { level: 6 });
    zip.add(file);
    file.push(data, true);
  }
  zip.end();
  return Buffer.concat(chunks);
}

function u32(b: Uint8Array, i: number): number {
  return new DataView(b.buffer, b.byteOffset).getUint32(i, true);
}

/** Offsets of every occurrence of a 4-byte signature. */
function signatures(b: Uint8Array, sig: number): number[] {
  const found: number[] = [];
  for (let i = 0; i + 4 <= b.length; i++) {
    if (u32(b, i) === sig) {
      found.push(i);
    }
  }
  return found;
}

function expectAccounting(result: ParseResult) {
  expect(result.stats.entries + result.stats.rejected).toBe(result.stats.records);
}

describe('zip archives', () => {
  it('reads every file in archive order, whatever each is (UTF-8, gzip, UTF-16), joined by line breaks', () => {
    const zip = zipSync({
      'logs/a.json': strToU8(lines.slice(0, 11).join('\n')),
      'logs/b.json.gz': gzipSync(strToU8(lines.slice(11, 16).join('\n'))),
      'logs/c.json': utf16le(lines.slice(16).join('\n') + '\n'),
    });
    expect(isZip(zip)).toBe(true);
    const prepared = prepareInput(zip);
    expect(prepared.text).toBe(ndjson);
    expect(prepared.compression).toBe('zip');
    // Which files were read is information, not a warning.
    expect(prepared.notes).toEqual([]);
    expect(prepared.info).toEqual([
      'The input is a zip; read 3 files: logs/a.json (lines 1–11), logs/b.json.gz (lines 12–16), logs/c.json (lines 17–22).',
    ]);
    const result = parseLogs(zip);
    expectAccounting(result);
    expect(result.stats).toMatchObject({ compression: 'zip', entries: 22, rejected: 0 });
  });

  it('gives line numbers that the note traces back to files', () => {
    const zip = zipSync({
      'one.json': strToU8(`${lines[0]}\n${lines[1]}\n`),
      'two.json': strToU8(`${lines[2]}\nnot json\n`),
    });
    const result = parseLogs(zip);
    expect(result.stats.info[0]).toBe('The input is a zip; read 2 files: one.json (lines 1–2), two.json (lines 4–5).');
    expect(result.issues).toEqual([expect.objectContaining({ line: 5 })]);
  });

  it('reads a folder zipped on a Mac by Info-ZIP, passing over the directory and macOS metadata', () => {
    const bytes = fixture('infozip-macos-folder.zip');
    expect(listZip(bytes).entries.map((e) => e.name)).toEqual([
      'export/.DS_Store',
      'export/day1/a.json',
      'export/day1/b.json',
      '__MACOSX/export/day1/._a.json',
      'export/day1/',
    ]);
    const result = parseLogs(bytes);
    expect(result.stats).toMatchObject({ compression: 'zip', entries: 22, rejected: 0 });
    expect(result.stats.notes).toEqual([]);
    expect(result.stats.info).toEqual([
      'The input is a zip; read 2 files: export/day1/a.json (lines 1–11), export/day1/b.json (lines 13–23); not read: 2 files of macOS metadata.',
    ]);
  });

  it('reads zip64 (Info-ZIP -fz) and streamed zip64 with data descriptors (Python zipfile)', () => {
    for (const name of ['infozip-zip64.zip', 'python-streamed-zip64.zip']) {
      const prepared = prepareInput(fixture(name));
      expect(prepared.text.replace(/\n+/g, '\n')).toBe(ndjson);
      expect(prepared.info).toEqual([
        expect.stringMatching(/^The input is a zip; read 2 files: .* \(lines 1–11\), .* \(lines 13–23\)\.$/),
      ]);
      expect(parseLogs(fixture(name)).stats).toMatchObject({ entries: 22, rejected: 0 });
    }
  });

  it('reads a streamed zip (sizes after the data) from its directory, and by scanning when that is cut off', () => {
    const zip = streamedZip({ 'a.json': strToU8(first), 'b.json': strToU8(rest) });
    expect(prepareInput(zip).text).toBe(`${first}\n${rest}`);
    const directory = signatures(zip, 0x02014b50)[0];
    const cut = prepareInput(zip.subarray(0, directory + 10));
    expect(cut.text).toBe(`${first}\n${rest}`);
    expect(cut.notes).toEqual([
      'The input is a zip, but its central directory (the list of files at its end) is missing (a truncated download?), so files were found by scanning.',
    ]);
    expect(cut.info).toEqual(['The input is a zip; read 2 files: a.json (lines 1–11), b.json (lines 13–23).']);
  });

  it('reads what a truncated zip holds and says where it ends', () => {
    const names = { 'a.json': strToU8(first), 'b.json': strToU8(rest.repeat(20)) };
    for (const zip of [zipSync(names), streamedZip(names)]) {
      const second = signatures(zip, 0x04034b50)[1];
      const result = parseLogs(zip.subarray(0, second + Math.floor((zip.length - second) / 2)));
      expectAccounting(result);
      expect(result.stats.entries).toBeGreaterThan(11);
      expect(result.stats.entries).toBeLessThan(11 + 11 * 20);
      expect(result.stats.notes.slice(0, 2)).toEqual([
        expect.stringMatching(/central directory .* is missing/),
        'The file b.json in the zip: the zip ends inside it (truncated?); what came before was read.',
      ]);
      expect(result.stats.info[0]).toMatch(
        /^The input is a zip; read 2 files: a\.json \(lines 1–11\), b\.json \(lines 13–\d+\)\.$/
      );
    }
  });

  it('falls back to scanning when the central directory is corrupt', () => {
    const zip = zipSync({ 'a.json': strToU8(first), 'b.json': strToU8(rest) });
    const second = signatures(zip, 0x02014b50)[1];
    zip.fill(0xee, second, second + 8);
    const prepared = prepareInput(zip);
    expect(prepared.text).toBe(`${first}\n${rest}`);
    expect(prepared.notes[0]).toBe(
      'The input is a zip, but its central directory (the list of files at its end) is corrupt, so files were found by scanning.'
    );
  });

  it('reports a corrupt file and a size that differs from the declared one', () => {
    const zip = zipSync({ 'a.json': strToU8(first), 'b.json': strToU8(rest) }, { level: 9 });
    const [, second] = signatures(zip, 0x04034b50);
    zip.fill(0xff, second + 30 + 6 + 4, second + 30 + 6 + 40);
    const result = parseLogs(zip);
    expectAccounting(result);
    expect(result.stats.entries).toBeGreaterThanOrEqual(11);
    expect(result.stats.notes[0]).toMatch(
      /^The file b\.json in the zip: (the zip data is corrupt|it is \d+ bytes, not the \d+ the zip declares)/
    );

    const lying = zipSync({ 'a.json': [strToU8(first), { level: 0 }] });
    const central = signatures(lying, 0x02014b50)[0];
    new DataView(lying.buffer).setUint32(central + 24, first.length + 5, true);
    expect(prepareInput(lying).notes[0]).toBe(
      `The file a.json in the zip: it is ${first.length} bytes, not the ${first.length + 5} the zip declares (a corrupt zip?).`
    );
  });

  it('names files it cannot read (encrypted, other compression) and reads the rest', () => {
    const zip = zipSync({ 'a.json': strToU8(first), 'secret.json': strToU8(rest), 'lzma.json': strToU8(rest) });
    const [, secret, lzma] = signatures(zip, 0x04034b50);
    const [, secretCentral, lzmaCentral] = signatures(zip, 0x02014b50);
    const view = new DataView(zip.buffer);
    view.setUint16(secret + 6, 1, true);
    view.setUint16(secretCentral + 8, 1, true);
    view.setUint16(lzma + 8, 14, true);
    view.setUint16(lzmaCentral + 10, 14, true);
    const prepared = prepareInput(zip);
    expect(prepared.text).toBe(first);
    expect(prepared.notes).toEqual([
      'The input is a zip; read 1 file: a.json (lines 1–11); not read: secret.json (encrypted), lzma.json (compressed with LZMA (method 14), which cannot be read here: zip it with the usual Deflate).',
    ]);
  });

  it('reads zip inside gzip and zip inside zip', () => {
    const inner = zipSync({ 'b.json': strToU8(rest) });
    expect(prepareInput(gzipSync(inner))).toMatchObject({ text: rest, compression: 'gzip' });
    const nested = prepareInput(zipSync({ 'a.json': strToU8(first), 'more.zip': inner }));
    expect(nested.text).toBe(`${first}\n${rest}`);
    expect(nested.info).toEqual([
      'The file more.zip in the zip is a zip; read 1 file: b.json (lines 13–23).',
      'The input is a zip; read 2 files: a.json (lines 1–11), more.zip (lines 13–23).',
    ]);
  });

  it('says so when a zip holds no files', () => {
    const empty = zipSync({});
    expect(isZip(empty)).toBe(true);
    expect(prepareInput(empty)).toMatchObject({
      text: '',
      compression: 'zip',
      notes: ['The input is a zip; no files were read.'],
    });
    expect(prepareInput(zipSync({ 'dir/': new Uint8Array(0) })).notes).toEqual([
      'The input is a zip; no files were read.',
    ]);
  });
});

describe('zip and the size limit', () => {
  it('stops a file that inflates past the limit before inflating it all, and skips the files after it', () => {
    const zeros = new Uint8Array(64 * MB);
    const zip = zipSync({ 'a.json': strToU8(first), 'zeros.bin': zeros, 'b.json': strToU8(rest) }, { level: 9 });
    expect(zip.length).toBeLessThan(200 * 1024);
    const prepared = prepareInput(zip, 8 * MB);
    expect(prepared.text.length).toBeLessThanOrEqual(8 * MB + 1);
    expect(prepared.notes).toEqual([
      'The file zeros.bin in the zip: the zip data inflates to more than 8 MB (the limit, counting every layer and file inflated before it); what came before was read.',
      'The input is a zip; read 2 files: a.json (lines 1–11), zeros.bin (line 13); not read: b.json (over the 8 MB limit).',
    ]);
  });

  it('stops a gzip bomb inside a zip, counting what the zip inflated', () => {
    const gz = bomb();
    const zip = zipSync({ 'a.json': strToU8(first), 'bomb.json.gz': [gz, { level: 0 }], 'b.json': strToU8(rest) });
    const prepared = prepareInput(zip, 8 * MB);
    // The bomb's own bytes (stored in the zip) and a.json count towards the limit too.
    expect(prepared.text.length).toBeLessThanOrEqual(8 * MB - gz.length + 1);
    expect(prepared.text.startsWith(first)).toBe(true);
    expect(prepared.notes[0]).toMatch(
      /^The file bomb\.json\.gz in the zip is gzip, but the gzip data inflates to more than 8 MB \(the limit, counting every layer and file inflated before it\)/
    );
    expect(prepared.notes[1]).toMatch(/not read: b\.json \(over the 8 MB limit\)\.$/);
    const result = parseLogs(zip, { maxInflatedBytes: 8 * MB });
    expectAccounting(result);
    expect(result.stats.entries).toBeGreaterThanOrEqual(11);
  });

  it('stops entries that all point at the same data (an overlapping zip bomb)', () => {
    const data = strToU8(rest.repeat(100));
    const one = zipSync({ 'x.json': data }, { level: 9 });
    const central = signatures(one, 0x02014b50)[0];
    const end = signatures(one, 0x06054b50)[0];
    const record = one.subarray(central, end);
    const copies = 1000;
    const zip = new Uint8Array(central + record.length * copies + 22);
    zip.set(one.subarray(0, central));
    for (let i = 0; i < copies; i++) {
      zip.set(record, central + i * record.length);
    }
    const eocd = one.slice(end, end + 22);
    const view = new DataView(eocd.buffer);
    view.setUint16(8, copies, true);
    view.setUint16(10, copies, true);
    view.setUint32(12, record.length * copies, true);
    zip.set(eocd, central + record.length * copies);
    expect(listZip(zip).entries).toHaveLength(copies);

    const limit = 4 * MB;
    const prepared = prepareInput(zip, limit);
    expect(prepared.text.length).toBeLessThanOrEqual(limit + copies);
    expect(prepared.notes.at(-1)).toMatch(
      /^The input is a zip; read \d+ files: .*; not read: x\.json \(over the 4 MB limit\), .*, \d+ more\.$/
    );
  });
});

describe('zip properties', () => {
  const filesArb = fc.array(
    fc.record({
      name: fc.stringMatching(/^[a-z]{1,8}\.(json|log)$/),
      text: fc
        .string({ unit: 'binary', maxLength: 100 })
        .filter((t) => !t.includes('\u0000') && !t.startsWith('\ufeff') && !t.startsWith('PK')),
      how: fc.constantFrom('stored', 'deflate', 'gzip', 'utf-16'),
    }),
    { minLength: 1, maxLength: 5 }
  );

  function build(files: Array<{ name: string; text: string; how: string }>): Uint8Array {
    const zippable: Zippable = {};
    files.forEach((f, i) => {
      const bytes =
        f.how === 'gzip' ? gzipSync(strToU8(f.text)) : f.how === 'utf-16' ? utf16le(f.text) : strToU8(f.text);
      zippable[`${i}/${f.name}`] = [bytes, { level: f.how === 'stored' ? 0 : 6 }];
    });
    return zipSync(zippable);
  }

  it('reads back every file, joined in order', () => {
    fc.assert(
      fc.property(filesArb, fc.boolean(), (files, streamed) => {
        const zip = streamed ? streamedZip(unzipInput(build(files))) : build(files);
        const prepared = prepareInput(zip);
        expect(prepared.text).toBe(files.map((f) => f.text).join('\n'));
        expect(prepared.notes).toEqual([]);
        expect(prepared.info).toHaveLength(1);
      }),
      { numRuns: 200 }
    );
  });

  it('never throws on a truncated or damaged zip, and stays within the limit', () => {
    fc.assert(
      fc.property(
        filesArb,
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.boolean(),
        (files, cut, at, byte, streamed) => {
          const zip = streamed ? streamedZip(unzipInput(build(files))) : build(files);
          const damaged = zip.slice(0, 4 + (cut % (zip.length - 3)));
          if (damaged.length > 4) {
            damaged[4 + (at % (damaged.length - 4))] = byte;
          }
          const prepared = prepareInput(damaged, 1024);
          expect(typeof prepared.text).toBe('string');
          // What the files inflate to is limited; a line break joins each to the next.
          expect(prepared.text.length).toBeLessThanOrEqual(1024 + damaged.length);
          expect(prepared.notes.length + prepared.info.length).toBeGreaterThan(0);
        }
      ),
      { numRuns: 500 }
    );
  });
});

/** The files of a zip written by zipSync, as bytes before compression (to write them again streamed). */
function unzipInput(zip: Uint8Array): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const entry of listZip(zip).entries) {
    out[entry.name] = entry.method === 0 ? entry.data : inflateSync(entry.data);
  }
  return out;
}
