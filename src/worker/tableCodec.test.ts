import fc from 'fast-check';
import type { DataFrame, FieldType } from '@grafana/data';

import { parseLogs } from '../parsing';
import { awsReferenceExamples } from '../parsing/testutils';
import { packFrames, unpackFrames, type PackedFrame } from './frameCodec';

/** What the page receives: the packed frames as postMessage clones and transfers them. */
function roundTrip(frames: DataFrame[]): DataFrame[] {
  const { packed, transfer } = packFrames(frames);
  const received = structuredClone(packed, { transfer }) as PackedFrame[];
  return unpackFrames(received);
}

const frameOf = (values: unknown[], type = 'string'): DataFrame => ({
  name: 'f',
  length: values.length,
  fields: [{ name: 'v', type: type as FieldType, config: { description: 'd' }, values }],
});

describe('frameCodec', () => {
  it('brings parsed frames back equal, with their metadata, configs and types', () => {
    const text = awsReferenceExamples()
      .map((e) => JSON.stringify(e.json))
      .join('\n');
    const { frames } = parseLogs(text);
    expect(roundTrip(frames)).toEqual(frames);
  });

  it('keeps fields that shared values sharing them (severity and logLevel)', () => {
    const text = awsReferenceExamples()
      .map((e) => JSON.stringify(e.json))
      .join('\n');
    const [frame] = roundTrip(parseLogs(text).frames);
    const values = (name: string) => frame.fields.find((f) => f.name === name)!.values;
    expect(values('severity')).toBe(values('logLevel'));
  });

  it('packs each kind of column the cheap way and moves its buffers', () => {
    const n = 5000;
    const labels = [Object.freeze({ a: '1' }), Object.freeze({ a: '2' })];
    const frame: DataFrame = {
      name: 'x',
      length: n,
      fields: [
        { name: 'time', type: 'time' as FieldType, config: {}, values: Array.from({ length: n }, (_, i) => 1e12 + i) },
        {
          name: 'unique',
          type: 'string' as FieldType,
          config: {},
          values: Array.from({ length: n }, (_, i) => `t${i}`),
        },
        {
          name: 'status',
          type: 'string' as FieldType,
          config: {},
          values: Array.from({ length: n }, (_, i) => (i % 3 ? 'Success' : 'Failure')),
        },
        {
          name: 'labels',
          type: 'other' as FieldType,
          config: {},
          values: Array.from({ length: n }, (_, i) => labels[i % 2]),
        },
      ],
    };
    const { packed, transfer } = packFrames([frame]);
    expect(packed[0].fields.map((f) => f.packed.kind)).toEqual(['numbers', 'text', 'dictionary', 'dictionary']);
    expect(transfer).toHaveLength(4);
    const [back] = roundTrip([frame]);
    expect(back).toEqual(frame);
    // Label objects shared between rows stay shared.
    expect(back.fields[3].values[0]).toBe(back.fields[3].values[2]);
  });

  it('keeps null apart from empty strings, zero and NaN-free numbers', () => {
    const values = Array.from({ length: 3000 }, (_, i) => (i % 5 === 0 ? null : i % 5 === 1 ? '' : `s${i}`));
    expect(roundTrip([frameOf(values)])[0].fields[0].values).toEqual(values);
    const numbers = [0, -0, null, 1.5, -1e300, Number.MAX_SAFE_INTEGER, null];
    const back = roundTrip([frameOf(numbers, 'number')])[0].fields[0].values;
    expect(back).toEqual(numbers);
    expect(Object.is(back[1], -0)).toBe(true);
    const mixed = ['a', 0, -0, null];
    const mixedBack = roundTrip([frameOf(mixed)])[0].fields[0].values;
    expect(Object.is(mixedBack[2], -0)).toBe(true);
    // NaN cannot stand for null in a column that holds it: such a column goes as it is.
    const withNaN = [1, NaN, null];
    expect(packFrames([frameOf(withNaN, 'number')]).packed[0].fields[0].packed.kind).toBe('plain');
    expect(roundTrip([frameOf(withNaN, 'number')])[0].fields[0].values).toEqual(withNaN);
  });

  it('brings any column back equal (property)', () => {
    const value = fc.oneof(
      fc.constant(null),
      fc.string(),
      fc.constantFrom('Success', 'Failure'),
      fc.double({ noNaN: true }),
      fc.integer(),
      fc.boolean(),
      fc.jsonValue({ maxDepth: 2 })
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 3000 }), (values) => {
        const frame = frameOf(values);
        expect(roundTrip([frame])).toEqual([frame]);
      }),
      { numRuns: 200 }
    );
  });
});
