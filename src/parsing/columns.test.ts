import {
  SEEN_BOOLEAN,
  SEEN_COMPOSITE,
  SEEN_NUMBER,
  SEEN_STRING,
  inferKind,
  seenBit,
  toBoolean,
  toNumber,
  toText,
} from './columns';

describe('inferKind looks at the union of all values', () => {
  const kindOf = (values: unknown[]) => inferKind(values.reduce<number>((m, v) => m | seenBit(v), 0));

  it.each([
    [[1, 2, null], 'number'],
    [[true, null, false], 'boolean'],
    [['a', null], 'string'],
    [[1, 'x'], 'string'],
    [['x', 1], 'string'],
    [[1, true], 'string'],
    [[null, undefined], 'string'],
    [[[1], 'a'], 'other'],
    [[null, ['a']], 'other'],
  ])('%j → %s', (values, kind) => {
    expect(kindOf(values)).toBe(kind);
  });

  it('has distinct bits', () => {
    expect(new Set([SEEN_NUMBER, SEEN_STRING, SEEN_BOOLEAN, SEEN_COMPOSITE]).size).toBe(4);
  });
});

describe('converters', () => {
  it('toNumber takes numbers and numeric strings only', () => {
    expect(toNumber(13490)).toBe(13490);
    expect(toNumber('13490')).toBe(13490);
    expect(toNumber('1.5e3')).toBe(1500);
    expect(toNumber('xxxx')).toBeNull();
    expect(toNumber('')).toBeNull();
    expect(toNumber(null)).toBeNull();
    expect(toNumber(undefined)).toBeNull();
    expect(toNumber(true)).toBeNull();
  });

  it('toBoolean takes booleans and True/False strings', () => {
    expect(toBoolean('True')).toBe(true);
    expect(toBoolean('false')).toBe(false);
    expect(toBoolean(true)).toBe(true);
    expect(toBoolean('yes')).toBeNull();
    expect(toBoolean(undefined)).toBeNull();
  });

  it('toText keeps strings exactly as written', () => {
    expect(toText('002')).toBe('002');
    expect(toText(' 1 ')).toBe(' 1 ');
    expect(toText(1)).toBe('1');
    expect(toText(false)).toBe('false');
    expect(toText(['a'])).toBe('["a"]');
    expect(toText(null)).toBeNull();
    expect(toText(undefined)).toBeNull();
  });
});
