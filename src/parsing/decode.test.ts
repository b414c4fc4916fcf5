/**
 * Step 1, bytes → text: encodings (UTF-8 and UTF-16 with and without a byte order mark, UTF-32),
 * gzip inside gzip, and the size limit across layers. Zip archives: zip.test.ts.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import fc from 'fast-check';
import { gzipSync, strToU8 } from 'fflate';

import { decodeBytes, sniffEncoding } from './decode';
import { prepareInput } from './detect';
import { gunzipLimited, gunzipWithin } from './gzip';
import { parseLogs } from './index';
import { awsReferenceExamples, TESTDATA } from './testutils';

const examples = awsReferenceExamples();
const ndjson = examples.map((e) => JSON.stringify(e.json)).join('\n') + '\n';
const encoding = (name: string) => new Uint8Array(readFileSync(join(TESTDATA, 'encodings', name)));
const containerFixture = (name: string) => new Uint8Array(readFileSync(join(TESTDATA, 'containers', name)));

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

function utf16(text: string, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < text.length; i++) {
    view.setUint16(i * 2, text.charCodeAt(i), littleEndian);
  }
  return out;
}

function utf32(text: string, littleEndian: boolean): Uint8Array {
  const points = Array.from(text, (c) => c.codePointAt(0)!);
  const out = new Uint8Array(points.length * 4);
  const view = new DataView(out.buffer);
  points.forEach((p, i) => view.setUint32(i * 4, p, littleEndian));
  return out;
}

const BOM8 = new Uint8Array([0xef, 0xbb, 0xbf]);
const BOM16LE = new Uint8Array([0xff, 0xfe]);
const BOM16BE = new Uint8Array([0xfe, 0xff]);
const BOM32LE = new Uint8Array([0xff, 0xfe, 0, 0]);
const BOM32BE = new Uint8Array([0, 0, 0xfe, 0xff]);

/** Every way of writing text to bytes that must read back exactly. */
const ENCODERS: Record<string, (text: string) => Uint8Array> = {
  'UTF-8': utf8,
  'UTF-8 with BOM': (t) => concat(BOM8, utf8(t)),
  'UTF-16 LE with BOM': (t) => concat(BOM16LE, utf16(t, true)),
  'UTF-16 BE with BOM': (t) => concat(BOM16BE, utf16(t, false)),
  'UTF-32 LE with BOM': (t) => concat(BOM32LE, utf32(t, true)),
  'UTF-32 BE with BOM': (t) => concat(BOM32BE, utf32(t, false)),
  gzip: (t) => gzipSync(utf8(t)),
  'gzip of UTF-16 LE': (t) => gzipSync(concat(BOM16LE, utf16(t, true))),
  'gzip in gzip': (t) => gzipSync(gzipSync(utf8(t))),
  'gzip in gzip in gzip of UTF-16 BE': (t) => gzipSync(gzipSync(gzipSync(concat(BOM16BE, utf16(t, false))))),
};

describe('text encodings', () => {
  it('reads what Windows PowerShell 5.1 `>` writes (UTF-16 LE with BOM, CRLF)', () => {
    const bytes = encoding('powershell-utf16le.json');
    expect([bytes[0], bytes[1], bytes[3]]).toEqual([0xff, 0xfe, 0]);
    const prepared = prepareInput(bytes);
    expect(prepared).toMatchObject({ notes: [], inputSize: bytes.length });
    expect(prepared.text.replace(/\r\n/g, '\n')).toBe(ndjson);
    const result = parseLogs(bytes);
    expect(result.stats).toMatchObject({ entries: 22, rejected: 0, notes: [] });
  });

  it.each(Object.entries(ENCODERS))('reads the AWS examples written as %s', (_name, encode) => {
    const bytes = encode(ndjson);
    expect(prepareInput(bytes).text).toBe(ndjson);
    expect(prepareInput(new Uint8Array(bytes).buffer).text).toBe(ndjson);
    expect(parseLogs(bytes).stats).toMatchObject({ entries: 22, rejected: 0 });
  });

  it('keeps characters outside ASCII and the BMP through UTF-16 and UTF-32', () => {
    const text = '{"clientId":"Gerät-ü-東京-😀","n":"\u00e9\u0100"}';
    for (const encode of Object.values(ENCODERS)) {
      expect(prepareInput(encode(text)).text).toBe(text);
    }
  });

  it('recognises UTF-16 without a byte order mark from its zero bytes, and says so', () => {
    const text = '{"eventType":"Connect","clientId":"é東"}\n';
    for (const [littleEndian, label] of [
      [true, 'UTF-16 LE'],
      [false, 'UTF-16 BE'],
    ] as const) {
      const prepared = prepareInput(utf16(text, littleEndian));
      expect(prepared.text).toBe(text);
      expect(prepared.notes).toEqual([]);
      expect(prepared.info).toEqual([
        `The input has no byte order mark but its zero bytes say it is ${label} text: it was read as ${label}.`,
      ]);
    }
    expect(parseLogs(utf16(ndjson, true)).stats).toMatchObject({ entries: 22, rejected: 0 });
  });

  it('does not take UTF-8 for UTF-16: UTF-8 text has no zero bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        fc.pre(!text.includes('\u0000'));
        expect(sniffEncoding(utf8(text))).toEqual({ encoding: 'utf-8', bom: 0, guessed: false });
      }),
      { numRuns: 200 }
    );
    // Nor UTF-32 without a BOM, nor too little to tell.
    expect(sniffEncoding(utf32('{"a":1}', true)).encoding).toBe('utf-8');
    expect(sniffEncoding(new Uint8Array([0x7b, 0])).encoding).toBe('utf-8');
  });

  it('says when UTF-16 text ends inside a character', () => {
    const bytes = concat(BOM16LE, utf16(ndjson, true));
    const prepared = prepareInput(bytes.subarray(0, bytes.length - 1));
    expect(prepared.text).toBe(ndjson.slice(0, -1) + '\ufffd');
    expect(prepared.notes).toEqual(['The input is UTF-16 LE text that ends inside a character (truncated?).']);
  });

  it('reads UTF-16 BE by swapping bytes where TextDecoder lacks it (Node without ICU)', () => {
    const Native = TextDecoder;
    class NoBigEndian extends Native {
      constructor(label?: string, options?: TextDecoderOptions) {
        if (label === 'utf-16be') {
          throw new RangeError(`The "${label}" encoding is not supported`);
        }
        super(label, options);
      }
    }
    const text = 'a東😀\n';
    global.TextDecoder = NoBigEndian as typeof TextDecoder;
    try {
      jest.isolateModules(() => {
        const isolated: typeof import('./decode') = require('./decode');
        expect(() => new TextDecoder('utf-16be')).toThrow(RangeError);
        expect(isolated.decodeBytes(utf16(text, false), 'utf-16be')).toBe(text);
        expect(isolated.decodeBytes(utf16(text, false).subarray(0, 7), 'utf-16be')).toBe('a東\ufffd');
      });
    } finally {
      global.TextDecoder = Native;
    }
    expect(decodeBytes(utf32('😀\u{10ffff}', true).subarray(0, 7), 'utf-32le')).toBe('😀\ufffd');
  });

  it('takes strings as they are, but for a UTF-8 byte order mark', () => {
    expect(prepareInput(`\ufeff${ndjson}`)).toEqual({
      text: ndjson,
      inputSize: ndjson.length + 1,
      notes: [],
      info: [],
    });
  });
});

describe('gzip inside gzip', () => {
  it('inflates every layer and says how many there were', () => {
    const twice = gzipSync(gzipSync(utf8(ndjson)));
    const result = parseLogs(twice);
    expect(result.stats).toMatchObject({ compression: 'gzip', entries: 22, rejected: 0 });
    expect(result.stats.notes).toEqual([]);
    expect(result.stats.info).toEqual(['The input is gzip inside gzip: 2 layers of gzip were inflated.']);
  });

  it('says nothing about layers for plain gzip', () => {
    expect(prepareInput(gzipSync(utf8(ndjson)))).toMatchObject({ text: ndjson, compression: 'gzip', notes: [] });
  });

  it('inflates base64 of gzip of gzip (a pasted awslogs.data of a doubly compressed payload)', () => {
    const base64 = Buffer.from(gzipSync(gzipSync(utf8(ndjson)))).toString('base64');
    expect(base64.startsWith('H4sI')).toBe(true);
    const prepared = prepareInput(base64);
    expect(prepared).toMatchObject({ text: ndjson, compression: 'gzip' });
    expect(prepared.info).toEqual([expect.stringMatching(/2 layers of gzip/)]);
  });

  it('stops after four layers', () => {
    let bytes: Uint8Array = utf8(ndjson);
    for (let i = 0; i < 4; i++) {
      bytes = gzipSync(bytes);
    }
    expect(prepareInput(bytes).text).toBe(ndjson);
    const five = prepareInput(gzipSync(bytes));
    expect(five.text).toBe('');
    expect(five.notes).toEqual(['The input is still gzip inside 4 layers of gzip or zip: it was not read further.']);
  });

  it('says which layer is truncated or corrupt, and reads what it can', () => {
    const inner = gzipSync(utf8(ndjson));
    const truncated = parseLogs(gzipSync(inner.subarray(0, Math.floor(inner.length / 2))));
    expect(truncated.stats.entries).toBeGreaterThan(3);
    expect(truncated.stats.entries).toBeLessThan(22);
    expect(truncated.stats.notes).toEqual([
      'The input is gzip inside gzip (layer 2), but the gzip data is truncated: it ends before its last block.',
    ]);
    expect(truncated.stats.info).toEqual(['The input is gzip inside gzip: 2 layers of gzip were inflated.']);

    const corrupt = inner.slice();
    corrupt.fill(0xff, 12, 30);
    expect(prepareInput(gzipSync(corrupt)).notes[0]).toMatch(
      /^The input is gzip inside gzip \(layer 2\), but the gzip data is corrupt/
    );
  });

  it('notes only the first cut when the outer layer is truncated', () => {
    const twice = gzipSync(gzipSync(utf8(ndjson.repeat(50))));
    const prepared = prepareInput(twice.subarray(0, Math.floor(twice.length * 0.7)));
    expect(prepared.text.length).toBeGreaterThan(0);
    expect(prepared.notes).toEqual([
      'The input is gzip, but the gzip data is truncated: it ends before its last block.',
    ]);
    expect(prepared.info).toEqual(['The input is gzip inside gzip: 2 layers of gzip were inflated.']);
  });
});

describe('truncated gzip', () => {
  it('notices a cut anywhere, even at a block boundary or in the header', () => {
    const text = utf8(ndjson);
    const member = (level: number) => gzipSync(text, { level: level as 0, mtime: 0 });
    const boundary = member(6).length;
    for (const gz of [member(0), member(1), member(6), member(9), concat(member(6), member(1))]) {
      expect(prepareInput(gz).notes).toEqual([]);
      // fflate passes over a few stray bytes after the end, and so does the check of the size.
      expect(prepareInput(concat(gz, new Uint8Array(3))).notes).toEqual([]);
      // From the two magic bytes on; a cut in the trailer loses nothing, but is reported all the same.
      for (let cut = 2; cut < gz.length; cut += cut < 40 || cut > gz.length - 40 ? 1 : 7) {
        if (cut === boundary && gz.length > cut) {
          continue; // between the two members: the first one is whole
        }
        const { notes } = prepareInput(gz.subarray(0, cut));
        expect([cut, notes]).toEqual([
          cut,
          ['The input is gzip, but the gzip data is truncated: it ends before its last block.'],
        ]);
      }
    }
  });
});

describe('the size limit across layers', () => {
  const MB = 1024 * 1024;
  const bomb = containerFixture('gzip-bomb.gz');

  it('stops a gzip bomb inside gzip at the limit, counting both layers', () => {
    const nested = gzipSync(bomb);
    const prepared = prepareInput(nested, 8 * MB);
    expect(prepared.text.length).toBeLessThanOrEqual(8 * MB - bomb.length);
    expect(prepared.notes).toEqual([
      expect.stringMatching(
        /^The input is gzip inside gzip \(layer 2\), but the gzip data inflates to more than 8 MB \(the limit, counting every layer and file inflated before it\); what came before was read\.$/
      ),
    ]);
    expect(prepared.info).toEqual(['The input is gzip inside gzip: 2 layers of gzip were inflated.']);
    const result = parseLogs(nested, { maxInflatedBytes: 8 * MB });
    expect(result.stats.entries + result.stats.rejected).toBe(result.stats.records);
  });

  it('counts what every layer inflated: the outer layer itself may fill the limit', () => {
    const inner = gzipSync(utf8(ndjson));
    const exact = prepareInput(gzipSync(inner), inner.length + ndjson.length);
    expect(exact).toMatchObject({ text: ndjson });
    expect(exact.notes).toEqual([]);
    expect(exact.info).toHaveLength(1);
    const short = prepareInput(gzipSync(inner), inner.length + ndjson.length - 1);
    expect(short.text.length).toBeLessThan(ndjson.length);
    expect(short.notes[0]).toMatch(/more than .* \(the limit, counting every layer/);
  });

  it('gunzipLimited keeps its meaning and message', () => {
    const out = gunzipLimited(bomb, 8 * MB);
    expect(out.bytes.length).toBeLessThanOrEqual(8 * MB);
    expect(out).toMatchObject({
      overLimit: true,
      error: 'the gzip data inflates to more than 8 MB (the limit); what came before was read',
    });
    expect(gunzipWithin(gzipSync(strToU8('abc')), 0, 10)).toMatchObject({ overLimit: true });
  });
});

describe('decoding properties', () => {
  it('reads back any text in every encoding and layering', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.constantFrom(...Object.keys(ENCODERS)),
        (text, name) => {
          // Text that is not itself taken for a layer: no NUL (UTF-16 sniffing), no leading BOM, not
          // starting with zip's magic bytes (gzip's 1F 8B cannot start UTF-8 text).
          fc.pre(!text.includes('\u0000') && !text.startsWith('\ufeff') && !text.startsWith('PK'));
          const prepared = prepareInput(ENCODERS[name](text));
          expect(prepared.text).toBe(text);
          expect(prepared.notes.filter((n) => !/layers of gzip were inflated/.test(n))).toEqual([]);
        }
      ),
      { numRuns: 500 }
    );
  });

  it('never throws on any bytes behind any layer, and stays within the limit', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.constantFrom(...Object.keys(ENCODERS)),
        fc.nat(),
        (junk, name, cut) => {
          const bytes = ENCODERS[name](String.fromCharCode(...junk));
          const prepared = prepareInput(bytes.subarray(0, cut % (bytes.length + 1)), 256);
          expect(typeof prepared.text).toBe('string');
          expect(prepared.text.length).toBeLessThanOrEqual(Math.max(bytes.length, 256));
        }
      ),
      { numRuns: 300 }
    );
  });
});
