import fc from 'fast-check';

import { parseTables, type EventTable, type TableColumn } from '../parsing';
import { awsReferenceExamples } from '../parsing/testutils';
import { packTables, unpackSteps, unpackTables, type PackedTable } from './tableCodec';

/** What the page receives: the packed tables as postMessage clones and transfers them. */
function roundTrip(tables: EventTable[]): EventTable[] {
  const { packed, transfer } = packTables(tables);
  const received = structuredClone(packed, { transfer }) as PackedTable[];
  return unpackTables(received);
}

function tableWith(columns: Array<Pick<TableColumn, 'name' | 'kind' | 'values'>>, length: number): EventTable {
  return {
    eventType: 'X',
    component: 'unknown',
    componentLabel: 'Other',
    documented: false,
    length,
    time: Array.from({ length }, (_, i) => 1e12 + i),
    body: Array.from({ length }, (_, i) => `{"n":${i}}`),
    record: Array.from({ length }, (_, i) => i),
    columns: columns.map((c) => ({ ...c, description: 'd', documented: false })),
  };
}

const tableOf = (values: unknown[], kind: TableColumn['kind'] = 'string') =>
  tableWith([{ name: 'v', kind, values }], values.length);

const valuesBack = (values: unknown[], kind: TableColumn['kind'] = 'string') =>
  roundTrip([tableOf(values, kind)])[0].columns[0].values;

describe('tableCodec', () => {
  it('brings parsed tables back equal, with kinds, descriptions and units, and frozen', () => {
    const text = awsReferenceExamples()
      .map((e) => JSON.stringify(e.json))
      .join('\n');
    const { tables } = parseTables(text);
    const back = roundTrip(tables);
    expect(back).toEqual(tables);
    expect(Object.isFrozen(back[0])).toBe(true);
    expect(Object.isFrozen(back[0].columns[0])).toBe(true);
  });

  it('keeps arrays that a table shares between columns shared', () => {
    const shared = ['a', 'b', null];
    const table = tableWith(
      [
        { name: 'x', kind: 'string', values: shared },
        { name: 'y', kind: 'string', values: shared },
      ],
      3
    );
    const { packed } = packTables([table]);
    expect(packed[0].columns[1].packed).toEqual({ kind: 'same', array: 3 });
    const [back] = roundTrip([table]);
    expect(back.columns[1].values).toBe(back.columns[0].values);
  });

  it('packs each kind of column the cheap way and moves its buffers', () => {
    const n = 5000;
    const labels = [Object.freeze({ a: '1' }), Object.freeze({ a: '2' })];
    const table = tableWith(
      [
        { name: 'unique', kind: 'string', values: Array.from({ length: n }, (_, i) => `t${i}`) },
        {
          name: 'status',
          kind: 'string',
          values: Array.from({ length: n }, (_, i) => (i % 3 ? 'Success' : 'Failure')),
        },
        { name: 'objects', kind: 'other', values: Array.from({ length: n }, (_, i) => labels[i % 2]) },
      ],
      n
    );
    const { packed, transfer } = packTables([table]);
    expect(
      [packed[0].time, packed[0].body, packed[0].record, ...packed[0].columns.map((c) => c.packed)].map((p) => p.kind)
    ).toEqual(['numbers', 'text', 'numbers', 'text', 'dictionary', 'dictionary']);
    // Numbers and codes one buffer each, text three (bytes, where values end in bytes and in characters).
    expect(transfer).toHaveLength(10);
    const [back] = roundTrip([table]);
    expect(back).toEqual(table);
    // Objects shared between rows stay shared.
    expect(back.columns[2].values[0]).toBe(back.columns[2].values[2]);
  });

  it('keeps null apart from empty strings, zero and NaN-free numbers', () => {
    const values = Array.from({ length: 3000 }, (_, i) => (i % 5 === 0 ? null : i % 5 === 1 ? '' : `s${i}`));
    expect(valuesBack(values)).toEqual(values);
    const numbers = [0, -0, null, 1.5, -1e300, Number.MAX_SAFE_INTEGER, null];
    const back = valuesBack(numbers, 'number');
    expect(back).toEqual(numbers);
    expect(Object.is(back[1], -0)).toBe(true);
    const mixed = ['a', 0, -0, null];
    const mixedBack = valuesBack(mixed);
    expect(Object.is(mixedBack[2], -0)).toBe(true);
    // NaN cannot stand for null in a column that holds it: such a column goes as it is.
    const withNaN = [1, NaN, null];
    expect(packTables([tableOf(withNaN, 'number')]).packed[0].columns[0].packed.kind).toBe('plain');
    expect(valuesBack(withNaN, 'number')).toEqual(withNaN);
  });

  it('carries any text as UTF-8: other scripts, emoji, a leading BOM, long values; lone surrogates go as they are', () => {
    const n = 5000;
    const texts = Array.from({ length: n }, (_, i) =>
      i % 4 === 0 ? `\uFEFFbom ${i}` : i % 4 === 1 ? `Gerät ${i} 🚀 数据` : i % 4 === 2 ? '' : `plain ${i}`
    );
    const table = tableOf(texts);
    expect(packTables([table]).packed[0].columns[0].packed.kind).toBe('text');
    expect(valuesBack(texts)).toEqual(texts);
    // Values longer than a step of the page's decoding, between short ones.
    const long = ['a', 'é'.repeat(1_500_000), null, 'x'.repeat(3_000_000), 'b'];
    expect(valuesBack(long)).toEqual(long);
    // UTF-8 cannot carry a lone surrogate: such a column is cloned as it is.
    const lone = Array.from({ length: n }, (_, i) => (i === 4000 ? 'half \uD83D pair' : `v${i}`));
    expect(packTables([tableOf(lone)]).packed[0].columns[0].packed.kind).toBe('plain');
    expect(valuesBack(lone)).toEqual(lone);
  });

  it('rebuilds in steps that the page may pause between, to the same tables', () => {
    const n = 100_000;
    const table = tableWith(
      [
        { name: 'n', kind: 'number', values: Array.from({ length: n }, (_, i) => (i % 9 ? i / 3 : null)) },
        { name: 's', kind: 'string', values: Array.from({ length: n }, (_, i) => `value ${i}`) },
      ],
      n
    );
    const { packed, transfer } = packTables([table]);
    const steps = unpackSteps(structuredClone(packed, { transfer }) as PackedTable[]);
    let count = 0;
    let step = steps.next();
    while (!step.done) {
      count++;
      step = steps.next();
    }
    expect(step.value).toEqual([table]);
    // Five arrays of 100,000 values: several steps each.
    expect(count).toBeGreaterThan(10);
  });

  it('brings any column back equal (property)', () => {
    const value = fc.oneof(
      fc.constant(null),
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) }),
      fc.constantFrom('Success', 'Failure'),
      fc.double({ noNaN: true }),
      fc.integer(),
      fc.boolean(),
      fc.jsonValue({ maxDepth: 2 })
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 3000 }), (values) => {
        const table = tableOf(values);
        expect(roundTrip([table])).toEqual([table]);
      }),
      { numRuns: 200 }
    );
  });
});
