import { parseIotTimestamp } from './timestamp';

describe('parseIotTimestamp', () => {
  it('runs in a time zone that is not UTC (guards the tests below)', () => {
    expect(new Date(2017, 7, 10).getTimezoneOffset()).not.toBe(0);
  });

  it('reads AWS IoT timestamps as UTC, whatever the machine zone', () => {
    expect(parseIotTimestamp('2017-08-10 15:37:23.476')).toBe(Date.UTC(2017, 7, 10, 15, 37, 23, 476));
    expect(new Date(parseIotTimestamp('2017-08-10 15:37:23.476')!).toISOString()).toBe('2017-08-10T15:37:23.476Z');
  });

  it('reads every day the same, whatever was read before', () => {
    expect(parseIotTimestamp('2017-08-10 00:00:00.000')).toBe(Date.UTC(2017, 7, 10));
    expect(parseIotTimestamp('2024-02-29 23:59:59.999')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 999));
    expect(parseIotTimestamp('2017-08-10 00:00:00.001')).toBe(Date.UTC(2017, 7, 10, 0, 0, 0, 1));
    expect(parseIotTimestamp('2023-02-29 00:00:00.000')).toBeUndefined();
  });

  it('accepts T, Z, offsets and any fraction length', () => {
    expect(parseIotTimestamp('2017-08-10T15:37:23.476Z')).toBe(Date.UTC(2017, 7, 10, 15, 37, 23, 476));
    expect(parseIotTimestamp('2017-08-10 15:37:23')).toBe(Date.UTC(2017, 7, 10, 15, 37, 23));
    expect(parseIotTimestamp('2017-08-10 15:37:23.4')).toBe(Date.UTC(2017, 7, 10, 15, 37, 23, 400));
    expect(parseIotTimestamp('2017-08-10 15:37:23.476999')).toBe(Date.UTC(2017, 7, 10, 15, 37, 23, 476));
    expect(parseIotTimestamp('2017-08-10T17:37:23.000+02:00')).toBe(Date.UTC(2017, 7, 10, 15, 37, 23));
    expect(parseIotTimestamp('2017-08-10T12:07:23.000-0330')).toBe(Date.UTC(2017, 7, 10, 15, 37, 23));
  });

  it('reads years 0000–0099 as written, not as 1900–1999', () => {
    const expected = (year: number) => {
      const d = new Date(0);
      d.setUTCFullYear(year, 0, 2);
      d.setUTCHours(3, 4, 5, 6);
      return d.getTime();
    };
    expect(parseIotTimestamp('0042-01-02 03:04:05.006')).toBe(expected(42));
    expect(new Date(parseIotTimestamp('0000-01-02 03:04:05.006')!).getUTCFullYear()).toBe(0);
    expect(new Date(parseIotTimestamp('0099-01-02T03:04:05.006Z')!).getUTCFullYear()).toBe(99);
    expect(parseIotTimestamp('0099-01-02 03:04:05.006')).toBe(expected(99));
    expect(parseIotTimestamp('0100-01-02 03:04:05.006')).toBe(expected(100));
    // 0004 was a leap year in the proleptic Gregorian calendar; 0100 was not.
    expect(parseIotTimestamp('0004-02-29 00:00:00.000')).toBeDefined();
    expect(parseIotTimestamp('0100-02-29 00:00:00.000')).toBeUndefined();
  });

  it.each([
    '',
    '1502379443476',
    '2017-08-10',
    '2017-13-10 15:37:23.476',
    '2021-02-30 00:00:00.000',
    '2017-08-10 24:00:00.000',
    'yesterday',
    ' 2017-08-10 15:37:23.476',
  ])('rejects %j', (text) => {
    expect(parseIotTimestamp(text)).toBeUndefined();
  });
});
