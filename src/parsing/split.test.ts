import { splitRecords } from './split';

type Rec =
  { kind: 'json'; value: unknown; line: number } | { kind: 'invalid'; raw: string; line: number; error?: string };

function split(text: string) {
  const records: Rec[] = [];
  const summary = splitRecords(text, {
    json: (value, _raw, line) => {
      records.push({ kind: 'json', value, line });
    },
    invalid: (raw, line, error) => records.push({ kind: 'invalid', raw, line, error }),
  });
  return { records, summary };
}

const values = (text: string) => split(text).records.map((r) => (r.kind === 'json' ? r.value : r));

describe('splitRecords', () => {
  it('reads one object per line', () => {
    const { records, summary } = split('{"a":1}\n{"a":2}\n\n{"a":3}\n');
    expect(records).toEqual([
      { kind: 'json', value: { a: 1 }, line: 1 },
      { kind: 'json', value: { a: 2 }, line: 2 },
      { kind: 'json', value: { a: 3 }, line: 4 },
    ]);
    expect(summary).toMatchObject({ multiLine: false, sharedLine: false, array: false, jsonRecords: 3 });
  });

  it.each([1, 2, 4, 8])('reads pretty-printed objects indented by %i spaces', (indent) => {
    const one = JSON.stringify({ a: 1, b: { c: 'x' } }, null, indent);
    const { records, summary } = split(`${one}\n${one}${one}\n\n\n${one}`);
    expect(records.map((r) => r.line)).toEqual([1, 7, 12, 20]);
    expect(records.every((r) => r.kind === 'json')).toBe(true);
    expect(summary.multiLine).toBe(true);
  });

  it('reads "key" : value, no spaces, tabs and CRLF', () => {
    const text = '{\r\n\t"a" : 1 ,\r\n\t"b":"x"\r\n}\r\n{"a":2}\r\n';
    expect(values(text)).toEqual([{ a: 1, b: 'x' }, { a: 2 }]);
  });

  it('reads concatenated objects with nothing between them', () => {
    const { records, summary } = split('{"a":1}{"a":2}{"a":"}{"}');
    expect(records.map((r) => (r.kind === 'json' ? r.value : r))).toEqual([{ a: 1 }, { a: 2 }, { a: '}{' }]);
    expect(summary.sharedLine).toBe(true);
  });

  it('reads arrays, pretty or compact, as their elements', () => {
    expect(values('[{"a":1},{"a":2}]')).toEqual([{ a: 1 }, { a: 2 }]);
    const { records, summary } = split('[\n  {\n    "a": 1\n  },\n  {\n    "a": 2\n  }\n]\n');
    expect(records).toEqual([
      { kind: 'json', value: { a: 1 }, line: 2 },
      { kind: 'json', value: { a: 2 }, line: 5 },
    ]);
    expect(summary.array).toBe(true);
  });

  it('keeps nested arrays of objects inside their record', () => {
    const text = '{\n "a": [\n  {"x": 1},\n  {\n   "x": 2\n  }\n ]\n}\n';
    expect(values(text)).toEqual([{ a: [{ x: 1 }, { x: 2 }] }]);
  });

  it('turns each non-JSON line into a text record', () => {
    const { records } = split('hello world  \n{"a":1}\n2016-07-20 00:09:31.034 TRACEID:x [INFO]\n');
    expect(records).toEqual([
      { kind: 'invalid', raw: 'hello world', line: 1, error: undefined },
      { kind: 'json', value: { a: 1 }, line: 2 },
      { kind: 'invalid', raw: '2016-07-20 00:09:31.034 TRACEID:x [INFO]', line: 3, error: undefined },
    ]);
  });

  describe('resynchronises after a broken record', () => {
    it('a compact line cut inside a string', () => {
      const { records } = split('{"a":1}\n{"a":"tru\n{"a":3}\n');
      expect(records.map((r) => [r.kind, r.line])).toEqual([
        ['json', 1],
        ['invalid', 2],
        ['json', 3],
      ]);
      expect((records[1] as { error: string }).error).toMatch(/string is not closed/);
    });

    it('a compact line cut after a value', () => {
      const { records } = split('{"a":1,\n{"a":2}\n');
      expect(records.map((r) => [r.kind, r.line])).toEqual([
        ['invalid', 1],
        ['json', 2],
      ]);
    });

    it('a pretty-printed object cut short, followed by valid pretty objects', () => {
      const text = '{\n  "a": 1,\n  "b": "x",\n{\n  "a": 2\n}\n{\n  "a": 3\n}\n';
      const { records } = split(text);
      expect(records.map((r) => (r.kind === 'json' ? r.value : r.line))).toEqual([1, { a: 2 }, { a: 3 }]);
    });

    it('a pretty-printed object cut after a key (the next object would fit as its value)', () => {
      const text = '{\n  "a": 1,\n  "resources":\n{\n  "a": 2\n}\n{\n  "a": 3\n}\n';
      const { records } = split(text);
      expect(records.map((r) => (r.kind === 'json' ? r.value : r.line))).toEqual([1, { a: 2 }, { a: 3 }]);
    });

    it('the text ending inside an object', () => {
      const { records } = split('{"a":1}\n{\n  "a": [1, 2,');
      expect(records.map((r) => r.kind)).toEqual(['json', 'invalid']);
      expect((records[1] as { error: string }).error).toMatch(/not closed/);
    });

    it('a compact object cut short with the next one on the same line', () => {
      expect(values('{"a":1,{"a":2}\n{"a":3}')).toEqual([
        expect.objectContaining({ kind: 'invalid', line: 1 }),
        { a: 2 },
        { a: 3 },
      ]);
    });

    it('an entry nested deeper than the broken one is not a resynchronisation point', () => {
      const text = '{\n  "a": [\n    {\n      "x": "cut\n{\n  "a": 2\n}\n';
      expect(values(text)).toEqual([expect.objectContaining({ kind: 'invalid', line: 1 }), { a: 2 }]);
    });

    it('a mismatched bracket', () => {
      const { records } = split('{"a":[1}\n{"a":2}');
      expect(records.map((r) => (r.kind === 'json' ? r.value : r.error))).toEqual([
        expect.stringMatching(/does not match/),
        { a: 2 },
      ]);
    });

    it('JSON that is balanced but invalid', () => {
      const { records } = split('{\n"a": 1,\n}\n{"a":2}');
      expect(records[0]).toMatchObject({ kind: 'invalid', line: 1 });
      expect(records[1]).toEqual({ kind: 'json', value: { a: 2 }, line: 4 });
    });

    it('deep nesting that is never closed', () => {
      const deep = '{"a":'.repeat(10_000);
      const { records } = split(`${deep}\n{"a":2}`);
      expect(records.map((r) => (r.kind === 'json' ? r.value : r.error))).toEqual([
        expect.stringMatching(/not closed/),
        { a: 2 },
      ]);
    });
  });

  it('ignores blank input', () => {
    expect(split(' \n\r\n\t').records).toEqual([]);
  });
});
