import { getDefaultQuery, type IotLogsQuery } from '../types';
import { changedSinceRun, optionsSummary, outputLine, progressPercent, RUN_KEYS, sameValue } from './lastRun';

const query = (patch: Partial<IotLogsQuery> = {}): IotLogsQuery => ({ refId: 'A', ...getDefaultQuery(), ...patch });

describe('changedSinceRun', () => {
  it('is true before the first run, false for the query as run', () => {
    expect(changedSinceRun(query(), undefined)).toBe(true);
    expect(changedSinceRun(query({ components: ['jobs'] }), query({ components: ['jobs'] }))).toBe(false);
  });

  it('ignores what does not change the result (refId, hide) and unset options', () => {
    const ran = query();
    expect(changedSinceRun({ ...ran, refId: 'B', hide: false }, ran)).toBe(false);
    expect(changedSinceRun({ ...ran, limit: undefined }, ran)).toBe(false);
  });

  it('compares pasted content as strings, by value', () => {
    const text = 'x'.repeat(100_000);
    const copy = `${text.slice(0, 50_000)}${text.slice(50_000)}`;
    expect(
      changedSinceRun(
        query({ source: { type: 'inline', content: copy } }),
        query({ source: { type: 'inline', content: text } })
      )
    ).toBe(false);
    expect(
      changedSinceRun(
        query({ source: { type: 'inline', content: `${text}!` } }),
        query({ source: { type: 'inline', content: text } })
      )
    ).toBe(true);
  });

  it('sees a change of every part of the query that shapes the result', () => {
    const ran = query();
    const changes: Partial<IotLogsQuery> = {
      source: { type: 'sample' },
      format: 'ndjson',
      ignoreTimeRange: false,
      components: ['jobs'],
      eventTypes: ['Connect'],
      statuses: ['Failure'],
      logLevels: ['ERROR'],
      fieldFilters: [{ field: 'clientId', op: '=', value: 'a' }],
      topicFilters: ['a/#'],
      search: 'x',
      output: 'counts',
      groupBy: ['status'],
      metric: 'distinct',
      metricField: 'clientId',
      interval: '5m',
      limit: 3,
      combineTables: true,
      behaviourView: 'series',
      thresholds: { stormConnects: 20 },
    };
    // Every key of the query model that is not DataQuery's own is compared.
    expect(Object.keys(changes).sort()).toEqual([...RUN_KEYS].sort());
    const fromDefaults = Object.keys(getDefaultQuery()).filter((k) => k !== 'schemaVersion');
    expect(RUN_KEYS).toEqual(expect.arrayContaining(fromDefaults));
    for (const [key, value] of Object.entries(changes)) {
      expect([key, changedSinceRun({ ...ran, [key]: value }, ran)]).toEqual([key, true]);
    }
    expect(
      changedSinceRun(
        query({ fieldFilters: [{ field: 'clientId', op: '=', value: 'b' }] }),
        query({ fieldFilters: [{ field: 'clientId', op: '=', value: 'a' }] })
      )
    ).toBe(true);
  });

  it('sameValue compares arrays and objects structurally', () => {
    expect(sameValue([{ a: 1 }], [{ a: 1 }])).toBe(true);
    expect(sameValue([1], [1, 2])).toBe(false);
    expect(sameValue({ a: undefined }, {})).toBe(true);
    expect(sameValue(null, {})).toBe(false);
  });
});

describe('outputLine', () => {
  const output = { mode: 'timeseries' as const, frames: 12, rows: 120, matched: 1204, parsed: 10976 };

  it('says how many entries matched and what they became, per mode', () => {
    expect(outputLine(output).text).toBe('1,204 of 10,976 entries matched → 12 series');
    expect(outputLine({ ...output, mode: 'counts', rows: 1 }).text).toMatch(/→ 1 row$/);
    expect(outputLine({ ...output, mode: 'table', frames: 3 }).text).toMatch(/→ 120 rows in 3 tables$/);
    expect(outputLine({ ...output, mode: 'sessions', rows: 7 }).text).toMatch(/→ 7 sessions$/);
    expect(outputLine({ ...output, mode: 'logs', rows: 1204 }).text).toMatch(/→ 1,204 log lines$/);
    expect(outputLine(output).nothingMatched).toBe(false);
  });

  it('says plainly when the filters matched nothing, and what the time range left out', () => {
    const none = { ...output, matched: 0, frames: 0, rows: 0 };
    expect(outputLine(none)).toEqual({
      text: 'No entry matched the filters (0 of 10,976 entries): loosen or clear them to see entries.',
      nothingMatched: true,
    });
    expect(outputLine(none, 5).text).toBe(
      'No entry matched (0 of 10,976 entries): 5 entries match the filters but are outside the time range.'
    );
    expect(outputLine({ ...none, parsed: 0 }).nothingMatched).toBe(false);
  });
});

it('progressPercent reads a running report', () => {
  expect(progressPercent({ state: 'running', progress: 0.426 })).toBe(42);
  expect(progressPercent({ state: 'running' })).toBeUndefined();
  expect(progressPercent({ state: 'done', progress: 1 })).toBeUndefined();
});

it('optionsSummary says the format and the time range handling', () => {
  expect(optionsSummary(query())).toEqual(['Format: Auto-detect', 'Time range: ignored']);
  expect(optionsSummary(query({ format: 'ndjson', ignoreTimeRange: false }))).toEqual([
    'Format: one JSON entry per line',
    'Time range: applied',
  ]);
});
