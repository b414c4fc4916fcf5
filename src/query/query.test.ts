import type { DataFrame } from '@grafana/data';

import { parseLogs, parseTables } from '../parsing';
import type { RawInput } from '../parsing/decode';
import { readFileSync } from 'fs';
import { join } from 'path';

import { TESTDATA, awsReferenceExamples } from '../parsing/testutils';
import { getDefaultQuery, type IotLogsQuery } from '../types';
import { mergeNotices, parseNotices } from './notices';
import { SessionStore } from '../sources/sessionStore';
import { compressUpload } from '../components/compressUpload';
import { uploadBytes } from './uploads';
import { ParseCache, fingerprint } from './parseCache';
import { runQuery, type RunContext } from './runQuery';

const content = awsReferenceExamples()
  .map((e) => e.text)
  .join('\n');
const query = (patch: Partial<IotLogsQuery> = {}): IotLogsQuery => ({
  refId: 'A',
  ...getDefaultQuery(),
  source: { type: 'inline', content },
  ...patch,
});

describe('ParseCache', () => {
  it('parses each distinct input once and evicts the least recently used', () => {
    const parse = jest.fn(async (input: RawInput) => parseTables(input));
    const cache = new ParseCache(2, parse);
    const get = (key: string) => cache.get(['inline', key], () => key);
    const a = get('a');
    expect(get('a')).toBe(a);
    get('b');
    get('a');
    get('c'); // evicts b
    get('a');
    expect(parse.mock.calls.map(([t]) => t)).toEqual(['a', 'b', 'c']);
    get('b');
    expect(parse).toHaveBeenCalledTimes(4);
  });

  it('keeps a shared parse going while one query still waits for it, and stops it when none does', async () => {
    let parseSignal: AbortSignal | undefined;
    let finish: (r: ReturnType<typeof parseTables>) => void = () => {};
    const parse = jest.fn((_input: RawInput, _options: object, _progress?: unknown, signal?: AbortSignal) => {
      parseSignal = signal;
      return new Promise<ReturnType<typeof parseTables>>((resolve) => {
        finish = resolve;
      });
    });
    const cache = new ParseCache(2, parse);
    const first = new AbortController();
    const second = new AbortController();
    const a = cache.get(['inline', 'x'], () => 'x', {}, undefined, first.signal);
    const b = cache.get(['inline', 'x'], () => 'x', {}, undefined, second.signal);
    expect(parse).toHaveBeenCalledTimes(1);
    first.abort();
    await expect(a).rejects.toThrow('Parsing was cancelled.');
    expect(parseSignal!.aborted).toBe(false);
    finish(parseTables('x'));
    await expect(b).resolves.toMatchObject({ stats: { records: 1 } });

    const third = new AbortController();
    const c = cache.get(['inline', 'y'], () => 'y', {}, undefined, third.signal);
    third.abort();
    await expect(c).rejects.toThrow('Parsing was cancelled.');
    expect(parseSignal!.aborted).toBe(true);
  });

  it('does not keep a parse that failed', async () => {
    const parse = jest.fn(async () => {
      throw new Error('cancelled');
    });
    const cache = new ParseCache(2, parse);
    await expect(cache.get(['inline', 'a'], () => 'a')).rejects.toThrow('cancelled');
    await expect(cache.get(['inline', 'a'], () => 'a')).rejects.toThrow('cancelled');
    expect(parse).toHaveBeenCalledTimes(2);
  });

  it('fingerprints bytes by length and content', () => {
    const a = new Uint8Array([1, 2, 3]);
    expect(fingerprint(a)).toBe(fingerprint(new Uint8Array([1, 2, 3])));
    expect(fingerprint(a)).not.toBe(fingerprint(new Uint8Array([1, 2, 4])));
    expect(fingerprint(a)).not.toBe(fingerprint(new Uint8Array([1, 2, 3, 0])));
  });
});

describe('runQuery behaviour output', () => {
  const run = async (patch: Partial<IotLogsQuery>) =>
    (await runQuery(query({ source: { type: 'inline', content }, output: 'behaviour', ...patch }), context())).frames;

  it('gives the device table and the fleet statistics, or a time series of one metric', async () => {
    const table = await run({});
    expect(table.map((f) => f.name)).toEqual(['behaviour', 'fleet']);
    const clientIds = table[0].fields.find((f) => f.name === 'clientId')!.values;
    expect(clientIds.length).toBeGreaterThan(0);
    const series = await run({ behaviourView: 'series', metricField: 'connectAttempts' });
    expect(series.length).toBeGreaterThan(0);
    expect(series.every((f) => f.meta?.type === 'timeseries-multi')).toBe(true);
  });
});

describe('runQuery findings output', () => {
  it('ranks findings of the sample, and its thresholds change them', async () => {
    const sample = readFileSync(join(__dirname, '..', 'sample', 'fleet-day.json'), 'utf8');
    const run = async (patch: Partial<IotLogsQuery>) =>
      (await runQuery(query({ source: { type: 'inline', content: sample }, output: 'findings', ...patch }), context()))
        .frames;
    const [found] = await run({});
    expect(found.name).toBe('findings');
    const kinds = found.fields.find((f) => f.name === 'kind')!.values;
    expect(kinds).toContain('storm');
    const [stricter] = await run({ thresholds: { stormConnects: 100000 } });
    expect(stricter.fields.find((f) => f.name === 'kind')!.values).not.toContain('storm');
  });
});

describe('runQuery filters (logs output)', () => {
  const run = async (patch: Partial<IotLogsQuery>, text = content) =>
    (await runQuery(query({ source: { type: 'inline', content: text }, ...patch }), context())).frames;

  it('keeps everything without filters: the frames of parseLogs', async () => {
    const frames = await run({});
    expect(frames.map(({ refId, meta, ...rest }) => rest)).toEqual(
      parseLogs(content).frames.map(({ meta, ...rest }) => rest)
    );
  });

  it('filters frames by component and eventType', async () => {
    const jobs = await run({ components: ['jobs'] });
    expect(jobs.map((f) => f.name).sort()).toEqual([
      'DescribeJobExecution',
      'GetPendingJobExecution',
      'ReportFinalJobExecutionCount',
      'StartNextPendingJobExecution',
      'UpdateJobExecution',
    ]);
    const both = await run({
      components: ['jobs', 'device-shadow'],
      eventTypes: ['UpdateJobExecution', 'GetThingShadow'],
    });
    expect(both.map((f) => f.name).sort()).toEqual(['GetThingShadow', 'UpdateJobExecution']);
  });

  it('filters rows by status and drops frames left empty', async () => {
    const failures = await run({ statuses: ['Failure'] });
    expect(failures.map((f) => f.name).sort()).toEqual([
      'AddThingToDynamicThingGroupsFailed',
      'RuleMessageThrottled',
      'RuleNotFound',
    ]);
    for (const frame of failures) {
      expect(frame.fields.every((f) => f.values.length === frame.length)).toBe(true);
    }
  });

  it('filters rows inside a frame', async () => {
    const entry = (status: string, clientId: string) =>
      JSON.stringify({ ...awsReferenceExamples()[0].json, status, clientId });
    const text = [entry('Success', 'a'), entry('Failure', 'b'), entry('Success', 'c')].join('\n');
    const [frame] = await run({ statuses: ['Success'] }, text);
    expect(frame.length).toBe(2);
    expect(frame.fields.find((f) => f.name === 'clientId')!.values).toEqual(['a', 'c']);
    const [all] = await run({}, text);
    expect(all.length).toBe(3);
  });

  it('copies values shared by several fields once, and fills constant columns', async () => {
    const entry = (status: string, logLevel: string, clientId: string) =>
      JSON.stringify({ ...awsReferenceExamples()[0].json, status, logLevel, clientId });
    const text = [entry('Success', 'INFO', 'a'), entry('Failure', 'ERROR', 'b'), entry('Success', 'WARN', 'c')].join(
      '\n'
    );
    const parsed = parseLogs(text);
    const values = (frame: DataFrame, name: string) => frame.fields.find((f) => f.name === name)!.values;
    // The parsed frame shares the log levels between severity and logLevel.
    expect(values(parsed.frames[0], 'severity')).toBe(values(parsed.frames[0], 'logLevel'));
    const [frame] = await run({ statuses: ['Success'] }, text);
    expect(values(frame, 'severity')).toEqual(['INFO', 'WARN']);
    expect(values(frame, 'severity')).toBe(values(frame, 'logLevel'));
    expect(values(frame, 'accountId')).toEqual([
      awsReferenceExamples()[0].json.accountId,
      awsReferenceExamples()[0].json.accountId,
    ]);
    expect(values(frame, 'timestamp')).toHaveLength(2);

    // Also when the rows had to be put in time order.
    const late = { ...awsReferenceExamples()[0].json, timestamp: '2030-01-01 00:00:00.000', logLevel: 'ERROR' };
    const early = { ...awsReferenceExamples()[0].json, timestamp: '2020-01-01 00:00:00.000', logLevel: 'INFO' };
    const [sorted] = parseLogs([late, early].map((e) => JSON.stringify(e)).join('\n')).frames;
    expect(values(sorted, 'severity')).toEqual(['INFO', 'ERROR']);
    expect(values(sorted, 'severity')).toBe(values(sorted, 'logLevel'));
  });
});

describe('parseNotices', () => {
  it('says nothing when all is well', () => {
    expect(parseNotices(parseLogs(content))).toEqual([]);
  });

  it('tells, as information and not as a warning, how a mixed input was read', () => {
    const events = JSON.stringify({
      events: [{ timestamp: 1, message: JSON.stringify(awsReferenceExamples()[0].json) }],
    });
    const notices = parseNotices(parseLogs(`${events}\n${JSON.stringify(awsReferenceExamples()[1].json)}`));
    expect(notices).toEqual([
      { severity: 'info', text: expect.stringMatching(/^The input holds 2 parts in different formats/) },
    ]);
  });

  it('asks for entries when there are none', () => {
    expect(parseNotices(parseLogs(''))).toEqual([{ severity: 'info', text: expect.stringMatching(/No log entries/) }]);
  });

  it('counts rejections by reason and lists the first few with line numbers', () => {
    const lines = [
      '{"a":1}',
      ...Array.from({ length: 7 }, () => 'junk'),
      JSON.stringify(awsReferenceExamples()[0].json),
    ];
    const [notice] = parseNotices(parseLogs(lines.join('\n')));
    expect(notice.severity).toBe('warning');
    expect(notice.text.split('\n')).toEqual([
      '8 records of 9 rejected (1 JSON that is not an IoT entry, 7 not JSON); 1 entry read.',
      expect.stringMatching(/^Line 1: JSON object without an eventType/),
      'Line 2: text that is not JSON: "junk"',
      'Line 3: text that is not JSON: "junk"',
      'Line 4: text that is not JSON: "junk"',
      'Line 5: text that is not JSON: "junk"',
      '… and 3 more rejected records.',
    ]);
  });

  it('says once that a container holds no AWS IoT entries, instead of a notice per record', () => {
    const lambda = readFileSync(join(TESTDATA, 'containers', 'filter-log-events-lambda.json'), 'utf8');
    expect(parseNotices(parseLogs(lambda))).toEqual([
      {
        severity: 'error',
        text: expect.stringMatching(
          /^No AWS IoT log entries in this filter-log-events output: none of its 40 records is an AWS IoT V2 entry \(40 not JSON\); line \d+: .*Is it an export of the AWSIotLogsV2 log group\?$/
        ),
      },
    ]);
  });

  it('passes on what the container said', () => {
    const running = readFileSync(join(TESTDATA, 'containers', 'insights-api-running.json'), 'utf8');
    expect(parseNotices(parseLogs(running))).toEqual([
      { severity: 'warning', text: expect.stringMatching(/^Partial results/) },
    ]);
  });

  it('is an error when nothing could be read', () => {
    expect(parseNotices(parseLogs('junk'))[0].severity).toBe('error');
  });
});

const store = new SessionStore();

/** An uploaded file as the editor stores it (no pauses between slices in tests). */
const upload = (fileName: string, bytes: Uint8Array, maxStoredBytes: number) =>
  compressUpload(fileName, bytes, { maxStoredBytes, store, pause: () => Promise.resolve() });

function context(patch: Partial<RunContext> = {}): RunContext {
  return {
    cache: new ParseCache(),
    range: { from: 0, to: Date.UTC(2030, 0, 1) },
    hasBaseUrl: false,
    fetchUrl: () => Promise.reject(new Error('no URL in this test')),
    loadSample: () => Promise.reject(new Error('no sample in this test')),
    sessions: store,
    replace: (text) => text,
    ...patch,
  };
}

const runFrames = async (q: IotLogsQuery, ctx: RunContext) => (await runQuery(q, ctx)).frames;

describe('runQuery', () => {
  it('returns the filtered frames with the refId and the parse summary', async () => {
    const { frames, report } = await runQuery(query({ refId: 'Q', components: ['rules-engine'] }), context());
    expect(frames).toHaveLength(6);
    for (const frame of frames) {
      expect(frame.refId).toBe('Q');
      expect(frame.meta?.custom).toMatchObject({ component: 'rules-engine' });
      expect(frame.meta?.type).toBe('log-lines');
    }
    expect(report).toMatchObject({
      parse: { entries: 22, rejected: 0, format: 'json-objects' },
      output: { mode: 'logs', frames: 6, rows: 6, matched: 6, parsed: 22 },
    });
  });

  it('returns an empty frame carrying the notice when nothing is left', async () => {
    const frames = await runFrames(query({ source: { type: 'inline', content: 'junk\n{"x":1}' } }), context());
    expect(frames).toEqual([
      expect.objectContaining({
        refId: 'A',
        length: 0,
        fields: [],
        meta: expect.objectContaining({ notices: [expect.objectContaining({ severity: 'error' })] }),
      }),
    ]);
  });

  it('puts the notice on the first frame only', async () => {
    const frames = await runFrames(query({ source: { type: 'inline', content: `${content}\njunk` } }), context());
    expect(frames[0].meta?.notices).toHaveLength(1);
    expect(frames.slice(1).every((f) => f.meta?.notices === undefined)).toBe(true);
  });
});

describe('runQuery sources and time range', () => {
  const connectAt = (timestamp: string, clientId: string) =>
    JSON.stringify({ ...awsReferenceExamples()[0].json, timestamp, clientId });
  const twoDays = [connectAt('2024-03-04 10:00:00.000', 'in'), connectAt('2024-03-06 10:00:00.000', 'out')].join('\n');
  const range = { from: Date.UTC(2024, 2, 4), to: Date.UTC(2024, 2, 5) };

  it('keeps only entries in the time range unless the query ignores it, and says how many it left out', async () => {
    const frames = await runFrames(
      query({ source: { type: 'inline', content: twoDays }, ignoreTimeRange: false }),
      context({ range })
    );
    expect(frames).toHaveLength(1);
    expect(frames[0].fields.find((f) => f.name === 'clientId')!.values).toEqual(['in']);
    expect(
      (
        await runQuery(
          query({ source: { type: 'inline', content: twoDays }, ignoreTimeRange: false }),
          context({ range })
        )
      ).report.outsideTimeRange
    ).toBe(1);
    expect(frames[0].meta!.notices).toEqual([
      { severity: 'info', text: expect.stringMatching(/^1 entry is outside the time range/) },
    ]);
    const all = await runFrames(
      query({ source: { type: 'inline', content: twoDays }, ignoreTimeRange: true }),
      context({ range })
    );
    expect(all[0].length).toBe(2);
  });

  it('reads uploaded files stored in the query', async () => {
    const source = await upload('logs.json', new TextEncoder().encode(content), 1024 * 1024);
    expect(source.data).toBeDefined();
    const frames = await runFrames(query({ source }), context());
    expect(frames).toHaveLength(22);
    expect(frames[0].meta!.notices).toBeUndefined();
  });

  it('reads session-only uploads and warns that the dashboard will not carry them', async () => {
    const source = await upload('big.json', new TextEncoder().encode(content), 100);
    expect(source).toMatchObject({ fileName: 'big.json', sessionKey: expect.any(String) });
    expect(source.data).toBeUndefined();
    const frames = await runFrames(query({ source }), context());
    expect(frames).toHaveLength(22);
    expect(frames[0].meta!.notices).toEqual([
      { severity: 'warning', text: expect.stringMatching(/kept for this browser session only.*URL source/) },
    ]);
  });

  it('reads big pasted text kept for the session by key (Explore), and says when the session lost it', async () => {
    const sessionKey = store.put(content);
    const { frames } = await runQuery(
      query({ source: { type: 'inline', content: '', sessionKey, size: content.length } }),
      context()
    );
    expect(frames).toHaveLength(22);
    expect(frames[0].meta!.notices).toEqual([
      { severity: 'warning', text: expect.stringMatching(/kept for this browser session only/) },
    ]);
    await expect(
      runQuery(query({ source: { type: 'inline', content: '', sessionKey: 'gone', size: 10 } }), context())
    ).rejects.toThrow(/paste it again/);
  });

  it('an upload source without a file yet is empty, not an error', async () => {
    const frames = await runFrames(query({ source: { type: 'upload', fileName: '', size: 0 } }), context());
    expect(frames).toEqual([
      expect.objectContaining({
        length: 0,
        meta: expect.objectContaining({ notices: [expect.objectContaining({ severity: 'info' })] }),
      }),
    ]);
  });

  it('fails a session-only upload of another session with a clear message', async () => {
    await expect(
      runQuery(query({ source: { type: 'upload', fileName: 'big.json', size: 10, sessionKey: 'gone' } }), context())
    ).rejects.toThrow(/big.json was too large to keep in the dashboard/);
  });

  it('fetches URL sources through the context with a checked path, and re-parses only changed bytes', async () => {
    const bytes = new TextEncoder().encode(content);
    const fetchUrl = jest.fn(async () => bytes);
    const ctx = context({ hasBaseUrl: true, fetchUrl });
    const first = await runFrames(query({ source: { type: 'url', path: '/2024/03/04 logs.json' } }), ctx);
    expect(fetchUrl).toHaveBeenCalledWith('2024/03/04%20logs.json');
    expect(first).toHaveLength(22);
    const again = await runFrames(query({ source: { type: 'url', path: '2024/03/04 logs.json' } }), ctx);
    expect(again[0].fields).toBe(first[0].fields);
  });

  it('refuses URL paths that leave the base URL, and URL sources without a base URL', async () => {
    const fetchUrl = jest.fn();
    await expect(
      runQuery(query({ source: { type: 'url', path: '../secret' } }), context({ hasBaseUrl: true, fetchUrl }))
    ).rejects.toThrow(/must stay under the base URL/);
    await expect(
      runQuery(
        query({ source: { type: 'url', path: 'https://evil.example/x' } }),
        context({ hasBaseUrl: true, fetchUrl })
      )
    ).rejects.toThrow(/not a URL/);
    await expect(runQuery(query({ source: { type: 'url', path: 'a.json' } }), context({ fetchUrl }))).rejects.toThrow(
      /needs a base URL/
    );
    expect(fetchUrl).not.toHaveBeenCalled();
  });

  it('reads the input as the query says when it overrides detection', async () => {
    const lines = awsReferenceExamples()
      .map((e) => `2020-09-08T04:00:24.000Z ${JSON.stringify(e.json)}`)
      .join('\n');
    const detected = await runQuery(query({ source: { type: 'inline', content: lines } }), context());
    expect(detected.report.parse!.format).toBe('s3-export');
    // Read as an S3 export, raw entries have no events: the format chosen is used, and says so.
    const raw = awsReferenceExamples()
      .map((e) => JSON.stringify(e.json))
      .join('\n');
    const forced = await runQuery(query({ source: { type: 'inline', content: raw }, format: 's3-export' }), context());
    expect(forced.report.parse).toMatchObject({ format: 's3-export', entries: 0 });
  });
});

describe('mergeNotices', () => {
  it('keeps one notice per severity', () => {
    expect(
      mergeNotices([
        { severity: 'warning', text: 'a' },
        { severity: 'info', text: 'b' },
        { severity: 'warning', text: 'c' },
      ])
    ).toEqual([
      { severity: 'warning', text: 'a\nc' },
      { severity: 'info', text: 'b' },
    ]);
  });
});

describe('stored uploads', () => {
  it('round-trips a file exactly, .gz files included', async () => {
    const { gzipSync } = await import('fflate');
    const raw = new TextEncoder().encode(content);
    for (const bytes of [raw, gzipSync(raw)]) {
      const source = await upload('f', bytes, 10 * 1024 * 1024);
      const loaded = uploadBytes(source, store);
      expect(loaded.error).toBeUndefined();
      expect(Buffer.from(loaded.bytes!).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('reports a damaged stored copy', () => {
    expect(uploadBytes({ type: 'upload', fileName: 'f.json', size: 3, data: '!!!' }, store)).toEqual({
      error: expect.stringMatching(/f.json is damaged \(not base64\)/),
    });
  });
});
