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
