/**
 * Property tests: parseLogs over generated entries in generated layouts, and over mutations of them.
 */
import fc from 'fast-check';

import { parseLogs, type ParseResult } from './index';
import { awsReferenceExamples } from './testutils';

const examples = awsReferenceExamples().map((e) => e.json);

const timestampArb = fc
  .date({ min: new Date(Date.UTC(2015, 0, 1)), max: new Date(Date.UTC(2030, 0, 1)), noInvalidDate: true })
  .map((d) => d.toISOString().replace('T', ' ').replace('Z', ''));

/** A documented example with a new time and client, sometimes an extra undocumented field. */
const entryArb = fc
  .record({
    base: fc.constantFrom(...examples),
    timestamp: timestampArb,
    clientId: fc.string({ minLength: 1, maxLength: 12 }),
    extra: fc.option(
      fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'x.y', 'note', 'n'), fc.jsonValue({ maxDepth: 2 }))
    ),
  })
  .map(({ base, timestamp, clientId, extra }) => ({
    ...base,
    ...(extra ?? {}),
    timestamp,
    clientId,
    eventType: base.eventType,
  }));

function layout(
  entries: object[],
  style: { indent: number; spaced: boolean; separator: string; array: boolean; crlf: boolean; bom: boolean }
): string {
  const one = (e: object) => {
    let s = style.indent === 0 ? JSON.stringify(e) : JSON.stringify(e, null, style.indent);
    if (style.spaced) {
      // `"key" : value`, as some tools print it (keys at the start of pretty-printed lines only).
      s = s.replace(/^(\s*"(?:[^"\\]|\\.)*"):/gm, '$1 :');
    }
    return s;
  };
  let text = style.array ? `[${entries.map(one).join(`,${style.separator}`)}]` : entries.map(one).join(style.separator);
  if (style.crlf) {
    text = text.replace(/\n/g, '\r\n');
  }
  return style.bom ? `\ufeff${text}` : text;
}

const styleArb = fc.record({
  indent: fc.constantFrom(0, 1, 2, 4, 8),
  spaced: fc.boolean(),
  separator: fc.constantFrom('\n', '\n\n', '', ' \n  \n'),
  array: fc.boolean(),
  crlf: fc.boolean(),
  bom: fc.boolean(),
});

function expectAccounting(result: ParseResult) {
  expect(result.stats.entries + result.stats.rejected).toBe(result.stats.records);
  expect(result.frames.reduce((n, f) => n + f.length, 0)).toBe(result.stats.entries);
}

describe('parseLogs properties', () => {
  it('finds every entry in every layout, typed the same way', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { minLength: 1, maxLength: 12 }), styleArb, (entries, style) => {
        const result = parseLogs(layout(entries, style));
        expectAccounting(result);
        expect(result.stats).toMatchObject({ records: entries.length, entries: entries.length, rejected: 0 });
        const compact = parseLogs(entries.map((e) => JSON.stringify(e)).join('\n'));
        const shape = (r: ParseResult) => r.frames.map((f) => [f.name, f.fields.map((x) => [x.name, x.type])]);
        expect(shape(result)).toEqual(shape(compact));
      }),
      { numRuns: 150 }
    );
  });

  it('never throws and keeps the books on arbitrary text and bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 })), (input) => {
        expectAccounting(parseLogs(input));
      }),
      { numRuns: 300 }
    );
  });

  it('finds every entry a mutation does not touch (truncation, junk, byte flips)', () => {
    const mutationArb = fc.constantFrom('truncate', 'junk-line', 'flip');
    fc.assert(
      fc.property(
        fc.array(entryArb, { minLength: 2, maxLength: 10 }),
        fc.constantFrom(0, 2, 4),
        fc.nat(),
        mutationArb,
        fc.nat(),
        (entries, indent, which, mutation, where) => {
          const texts = entries.map((e) => (indent === 0 ? JSON.stringify(e) : JSON.stringify(e, null, indent)));
          const target = which % texts.length;
          const t = texts[target];
          const cut = 1 + (where % (t.length - 1));
          if (mutation === 'truncate') {
            texts[target] = t.slice(0, cut);
          } else if (mutation === 'junk-line') {
            texts[target] = `${t}\n2016-07-20 00:09:31.034 TRACEID:x PRINCIPALID:y [INFO] EVENT:PublishEvent`;
          } else {
            texts[target] = `${t.slice(0, cut)}\u0000${t.slice(cut + 1)}`;
          }
          const result = parseLogs(texts.join('\n'));
          expectAccounting(result);
          // Every untouched entry is found; the touched one is an entry or rejected, never more.
          expect(result.stats.entries).toBeGreaterThanOrEqual(entries.length - 1);
          if (mutation === 'junk-line') {
            expect(result.stats).toMatchObject({ entries: entries.length, rejected: 1 });
          }
        }
      ),
      { numRuns: 300 }
    );
  });

  it('no key changes any prototype', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { minLength: 1, maxLength: 5 }), (entries) => {
        const result = parseLogs(entries.map((e) => JSON.stringify(e)).join('\n'));
        expect(Object.getPrototypeOf({})).toBe(Object.prototype);
        expect(({} as Record<string, unknown>).x).toBeUndefined();
        for (const frame of result.frames) {
          for (const field of frame.fields) {
            expect(Object.getPrototypeOf(field)).toBe(Object.prototype);
          }
        }
      }),
      { numRuns: 50 }
    );
  });
});
