import { dateTime, type DataFrame, type FieldType } from '@grafana/data';
import { lastValueFrom, queueScheduler } from 'rxjs';

import { parseTables } from '../parsing';
import { delegate } from './delegate';
import { cloudWatchTime, FakeCloudWatch, framesOfRows, LOG_INTERNAL, LOGSTREAM_INTERNAL } from './fakeCloudWatch';
import { messagesOf } from './messages';
import { DEFAULT_LOG_GROUP, INSIGHTS_ROW_CAP } from './types';

const T0 = Date.UTC(2024, 4, 6);

function entry(i: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    timestamp: cloudWatchTime(T0 + i * 1000),
    logLevel: 'INFO',
    accountId: '012345678901',
    status: 'Success',
    eventType: 'Connect',
    clientId: `c${i}`,
    ...extra,
  });
}

function frame(fields: Array<{ name: string; type?: string; values: unknown[] }>): DataFrame {
  return {
    refId: 'A',
    fields: fields.map((f) => ({
      name: f.name,
      type: (f.type ?? 'string') as FieldType,
      config: {},
      values: f.values,
    })),
    length: fields[0]?.values.length ?? 0,
  };
}

async function entriesFrames(entries: string[], expression: string): Promise<DataFrame[]> {
  const fake = new FakeCloudWatch(entries, { scheduler: queueScheduler, stepMs: 0 });
  const from = dateTime(T0 - 60_000);
  const to = dateTime(T0 + 3_600_000);
  const last = await lastValueFrom(
    delegate(
      fake,
      [
        {
          refId: 'A',
          queryMode: 'Logs',
          id: '',
          region: 'default',
          queryLanguage: 'CWLI',
          expression,
          logGroups: [{ arn: DEFAULT_LOG_GROUP, name: DEFAULT_LOG_GROUP }],
          statsGroups: [],
        },
      ],
      {
        targets: [],
        range: { from, to, raw: { from, to } },
        scopedVars: {},
        requestId: 'm',
        interval: '1s',
        intervalMs: 1000,
        timezone: 'utc',
        app: 'explore',
        startTime: 0,
      }
    )
  );
  return last.results[0].frames;
}

describe('messagesOf', () => {
  it('joins the @message values of the data source frames, and the parser reads them back', async () => {
    const entries = [entry(0), entry(1, { jobId: '002' }), entry(2)];
    const frames = await entriesFrames(entries, 'fields @timestamp, @message, @logStream, @log | sort @timestamp desc');
    const names = frames[0].fields.map((f) => f.name);
    expect(names).toEqual(['@timestamp', LOG_INTERNAL, LOGSTREAM_INTERNAL, '@message', '@logStream', '@log']);
    expect(frames[0].fields[0]).toMatchObject({ type: 'time', config: { displayName: 'Time' } });
    const out = messagesOf(frames);
    // Rows come sorted by time ascending, whatever the query's sort.
    expect(out).toEqual({ text: entries.join('\n'), rows: 3, capped: false, missing: 0 });
    const [table] = parseTables(out.text).tables;
    expect(table.columns.find((c) => c.name === 'accountId')!.values[0]).toBe('012345678901');
    expect(table.columns.find((c) => c.name === 'jobId')!.values[1]).toBe('002');
  });

  it('does not read the discovered fields, which the data source types by their first value', async () => {
    const entries = [entry(0, { jobId: '002' })];
    const frames = await entriesFrames(entries, 'fields @timestamp, @message, accountId, jobId');
    const fields = Object.fromEntries(frames[0].fields.map((f) => [f.name, f]));
    expect(fields.accountId).toMatchObject({ type: 'number', values: [12345678901] });
    expect(fields.jobId).toMatchObject({ type: 'number', values: [2] });
    expect(messagesOf(frames).text).toBe(entries[0]);
  });

  it('stringifies a message that arrives as an object, and counts rows without a message', () => {
    const out = messagesOf([
      frame([
        { name: LOG_INTERNAL, values: ['1:g', '1:g', '1:g', '1:g', '1:g'] },
        { name: '@message', type: 'other', values: ['{"a":1}', { eventType: 'Connect', n: 2 }, null, '', undefined] },
      ]),
      frame([{ name: 'count', type: 'number', values: [4, 5] }]),
    ]);
    expect(out).toEqual({
      text: '{"a":1}\n{"eventType":"Connect","n":2}',
      rows: 7,
      capped: false,
      missing: 5,
    });
  });

  it('marks an answer at the row cap', () => {
    const rows = Array.from({ length: INSIGHTS_ROW_CAP }, (_, i) => [
      { field: '@timestamp', value: cloudWatchTime(T0 + i) },
      { field: '@message', value: entry(i) },
    ]);
    const out = messagesOf(framesOfRows(rows, [], 'Complete', 'A'));
    expect(out.rows).toBe(INSIGHTS_ROW_CAP);
    expect(out.capped).toBe(true);
    expect(messagesOf(framesOfRows(rows.slice(1), [], 'Complete', 'A')).capped).toBe(false);
  });

  it('caps the fake at 10,000 rows like Logs Insights', async () => {
    const entries = Array.from({ length: INSIGHTS_ROW_CAP + 5 }, (_, i) => ({
      message: `{"n":${i}}`,
      time: T0 + i,
    }));
    const fake = new FakeCloudWatch(entries, { scheduler: queueScheduler, stepMs: 0 });
    const frames = await lastValueFrom(
      fake.query({
        targets: [
          {
            refId: 'A',
            queryMode: 'Logs',
            id: '',
            region: 'default',
            queryLanguage: 'CWLI',
            expression: 'fields @timestamp, @message | sort @timestamp desc | limit 20000',
            logGroups: [],
            statsGroups: [],
          },
        ],
        range: { from: dateTime(T0), to: dateTime(T0 + 60_000), raw: { from: 'now-1h', to: 'now' } },
        scopedVars: {},
        requestId: 'cap',
        interval: '1s',
        intervalMs: 1000,
        timezone: 'utc',
        app: 'explore',
        startTime: 0,
      })
    );
    const out = messagesOf(frames.data);
    expect(out).toMatchObject({ rows: INSIGHTS_ROW_CAP, capped: true, missing: 0 });
    // The latest rows (sort desc, then the cap), in time order.
    expect(out.text.split('\n')[0]).toBe('{"n":5}');
  });
});
