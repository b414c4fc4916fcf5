import fc from 'fast-check';

import { parseForHandOff, parseTables } from '../parsing';
import type { RawInput } from '../parsing/decode';
import { awsReferenceExamples } from '../parsing/testutils';
import { inputSource } from './inputText';
import { packResult, unpackTables, type PackedTable } from './tableCodec';

const examples = awsReferenceExamples();
const encode = (text: string) => new TextEncoder().encode(text);

/** The worker's hand-off of `input`, received (cloned, buffers moved) and rebuilt with the page's copy of it. */
function handOff(input: string | Uint8Array) {
  const { result, bodies } = parseForHandOff(input);
  const { transfer, ...packed } = packResult(result, bodies);
  const received = structuredClone(packed, { transfer }) as { tables: PackedTable[] };
  const length = typeof input === 'string' ? input.length : input.byteLength;
  const tables = unpackTables(received.tables, inputSource(input, 0, length));
  return { tables, kinds: received.tables.map((t) => t.body.kind), result };
}

describe('bodies cut out of the page’s copy of the input', () => {
  const lines = examples.map((e) => JSON.stringify(e.json));

  it.each<[string, string | Uint8Array, string]>([
    ['a string', lines.join('\n'), 'slices'],
    ['a string with a byte order mark', `\uFEFF${lines.join('\n')}`, 'slices'],
    ['ASCII bytes', encode(lines.join('\n')), 'slices'],
    ['ASCII bytes with a byte order mark', encode(`\uFEFF${lines.join('\n')}`), 'slices'],
    ['bytes of other text (sent as text)', encode(`${lines.join('\n')}\n{"x":"Gerät"}`), 'strings'],
  ])('%s', (_, input, kind) => {
    const { tables, kinds } = handOff(input);
    expect(tables).toEqual(parseTables(input).tables);
    // Bodies not found in the input go packed as any strings (a dictionary for a table of a few rows).
    expect(kinds.every((k) => (kind === 'slices' ? k === 'slices' : k !== 'slices'))).toBe(true);
  });

  it('sends bodies that are not in the input (pretty-printed, from a container) as text beside the others', () => {
    const text = [
      lines[0],
      JSON.stringify(examples[1].json, null, 2),
      `2020-09-08T04:00:24.000Z ${lines[2]}`,
      lines[3],
    ].join('\n');
    for (const input of [text, encode(text)]) {
      const { tables } = handOff(input);
      expect(tables).toEqual(parseTables(input).tables);
    }
  });

  it('cuts bodies across the chunks the page decodes', () => {
    // About 3 MB: bodies on both sides of each 1 MB chunk's end, and across it.
    const many = Array.from({ length: 9000 }, (_, i) => JSON.stringify({ ...examples[i % 5].json, n: i })).join('\n');
    for (const input of [many, encode(many), encode(`\uFEFF${many}`)]) {
      expect(handOff(input).tables).toEqual(parseTables(input).tables);
    }
  });

  it('holds for any text, as a string or as bytes (property)', () => {
    const line = fc.oneof(
      fc.constantFrom(...lines),
      fc.string({ unit: 'binary', maxLength: 30 }).map((x) => JSON.stringify({ ...examples[0].json, x })),
      fc.string({ maxLength: 20 })
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.boolean(), fc.boolean(), (picked, bom, bytes) => {
        const text = `${bom ? '\uFEFF' : ''}${picked.join('\n')}`;
        const input: RawInput = bytes ? encode(text) : text;
        expect(handOff(input as string | Uint8Array).tables).toEqual(parseTables(input).tables);
      }),
      { numRuns: 300 }
    );
  });
});
