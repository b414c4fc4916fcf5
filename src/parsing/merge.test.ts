import fc from 'fast-check';

import { logsFramesOf } from '../output/logs';
import { parseLogs, parseTables } from './index';
import { cutIntoPieces, mergeResults } from './merge';
import { awsReferenceExamples } from './testutils';

const examples = awsReferenceExamples();

/** The merged tables of the pieces, with the logs frames parseLogs would make of them. */
function inPieces(text: string, size: number) {
  const merged = mergeResults(
    cutIntoPieces(text, size).map((piece) => ({ result: parseTables(piece.text), lineOffset: piece.lineOffset })),
    100
  );
  return { ...merged, frames: logsFramesOf(merged.tables) };
}

describe('cutIntoPieces', () => {
  it('cuts only before lines that start an entry, and loses nothing', () => {
    const text = examples.map((e) => e.text).join('\n');
    const pieces = cutIntoPieces(text, 500);
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
    for (const piece of pieces.slice(1)) {
      expect(piece.text.startsWith('{')).toBe(true);
    }
  });

  it('keeps text without a place to cut whole', () => {
    expect(cutIntoPieces('x'.repeat(1000), 10)).toEqual([{ text: 'x'.repeat(1000), lineOffset: 0 }]);
  });
});

describe('mergeResults', () => {
  it('gives what one parse of the whole text gives', () => {
    const lines = examples.map((e) => e.text);
    lines.splice(7, 0, 'junk line', '{"timestamp": "2017-08-10 15:37:23.476", "logLevel": "INF');
    const text = [...lines, ...lines.slice().reverse()].join('\n');
    const whole = parseLogs(text);
    const merged = inPieces(text, 700);
    expect(merged.stats).toEqual(whole.stats);
    expect(merged.issues).toEqual(whole.issues);
    expect(merged.frames.map((f) => f.name)).toEqual(whole.frames.map((f) => f.name));
    for (const [i, frame] of merged.frames.entries()) {
      const expected = whole.frames[i];
      expect(frame.length).toBe(expected.length);
      for (const field of expected.fields) {
        expect({ name: field.name, values: frame.fields.find((f) => f.name === field.name)?.values }).toEqual({
          name: field.name,
          values: field.values,
        });
      }
    }
    // The tables themselves, column by column (kinds, which columns are empty, values).
    const wholeTables = parseTables(text).tables;
    for (const [i, table] of merged.tables.entries()) {
      expect(table.columns.map((c) => [c.name, c.kind, c.empty])).toEqual(
        wholeTables[i].columns.map((c) => [c.name, c.kind, c.empty])
      );
    }
  });

  it('keeps a JSON array in one piece (its closing bracket would be stray in a later piece)', () => {
    const text = `[\n${examples.map((e) => JSON.stringify(e.json)).join(',\n')}\n]`;
    expect(parseLogs(text).stats.format).toBe('json-array');
    expect(cutIntoPieces(text, 500)).toEqual([{ text, lineOffset: 0 }]);
    expect(inPieces(text, 500).stats).toEqual(parseLogs(text).stats);
  });

  it('holds for generated NDJSON cut anywhere', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...examples), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 50, max: 5000 }),
        (picked, size) => {
          const text = picked.map((e) => JSON.stringify(e.json)).join('\n');
          const whole = parseLogs(text);
          const merged = inPieces(text, size);
          expect(merged.stats).toEqual(whole.stats);
          expect(merged.frames.map((f) => [f.name, f.length])).toEqual(whole.frames.map((f) => [f.name, f.length]));
        }
      ),
      { numRuns: 100 }
    );
  });
});

describe('cutIntoPieces on mixed text', () => {
  it.each([
    ['a CSV download', '@timestamp,@message\n2017-08-10 15:37:23.476,"{""a"":1}\n{""b"":2}"\n'],
    ['CLI text rows', 'EVENTS\t1\t2\ts\t{"a":1}\n{"b":2}\t3\n'],
    ['an S3 export', '2020-09-08T04:00:24.000Z {"a":1}\n'],
    ['a JSON array', '[\n{"a":1}\n]\n'],
  ])('does not cut text that holds %s (a cut could fall inside it)', (_, other) => {
    const text = `${'{"a":1}\n'.repeat(100)}${other}${'{"a":1}\n'.repeat(100)}`;
    expect(cutIntoPieces(text, 50)).toEqual([{ text, lineOffset: 0 }]);
  });
});

describe('mergeResults kinds', () => {
  it('infers a column kind as one parse does, whatever the pieces saw', () => {
    const entry = (x: unknown, i: number) =>
      JSON.stringify({ timestamp: '2024-01-01 00:00:00.000', eventType: 'Custom-Thing', n: i, x });
    const cases: unknown[][] = [
      [null, null, 5, 7],
      [5, null, 'a', null],
      [{ a: 1 }, null, 5, 'b'],
      [true, false, null, null],
    ];
    for (const xs of cases) {
      const text = xs.map((x, i) => `${entry(x, i)}\n${'{"junk": 1}\n'.repeat(20)}`).join('');
      const whole = parseTables(text).tables[0].columns.find((c) => c.name === 'x')!;
      const merged = mergeResults(
        cutIntoPieces(text, 100).map((piece) => ({ result: parseTables(piece.text), lineOffset: piece.lineOffset })),
        100
      ).tables[0].columns.find((c) => c.name === 'x')!;
      expect({ kind: merged.kind, values: merged.values }).toEqual({ kind: whole.kind, values: whole.values });
    }
  });
});
