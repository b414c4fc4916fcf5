/**
 * Every container AWS IoT entries leave CloudWatch in, detected without being told, plus broken
 * variants. Fixtures: testdata/containers (testdata/make-container-fixtures.mjs writes the JSON and
 * gzip ones from the AWS reference examples).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { gzipSync } from 'fflate';

import { parseLogs, type ParseResult } from './index';
import { TESTDATA, awsReferenceExamples, fieldOf, frameOf } from './testutils';

const fixture = (name: string) => new Uint8Array(readFileSync(join(TESTDATA, 'containers', name)));
const text = (name: string) => readFileSync(join(TESTDATA, 'containers', name), 'utf8');
const examples = awsReferenceExamples();
const allTypes = examples.map((e) => e.eventType).sort();

function expectAccounting(result: ParseResult) {
  const { stats, frames } = result;
  expect(stats.entries + stats.rejected).toBe(stats.records);
  expect(frames.reduce((n, f) => n + f.length, 0)).toBe(stats.entries);
}

const names = (r: ParseResult) => r.frames.map((f) => f.name).sort();

describe('Logs Insights API output (get-query-results)', () => {
  it('reads @message rows', () => {
    const result = parseLogs(text('insights-api.json'));
    expectAccounting(result);
    expect(result.stats).toMatchObject({ format: 'insights-api', records: 22, entries: 22, rejected: 0, notes: [] });
    expect(names(result)).toEqual(allTypes);
    expect(fieldOf(frameOf(result.frames, 'Connect'), 'sourcePort').values).toEqual([13490]);
  });

  it('builds entries from selected fields, typed by the schema (Insights makes every value a string)', () => {
    const result = parseLogs(text('insights-api-fields.json'));
    expectAccounting(result);
    expect(result.stats).toMatchObject({ format: 'insights-api', entries: 4, rejected: 0 });
    const connect = frameOf(result.frames, 'Connect');
    expect(fieldOf(connect, 'sourcePort')).toMatchObject({ type: 'number', values: [13490] });
    expect(fieldOf(connect, 'timestamp').values).toEqual([Date.UTC(2017, 7, 10, 15, 37, 23, 476)]);
    expect(fieldOf(frameOf(result.frames, 'RuleExecution'), 'resources.RepublishTopic').values).toEqual([
      'rules/republish',
    ]);
    expect(fieldOf(frameOf(result.frames, 'UpdateJobExecution'), 'jobId').values).toEqual(['002']);
  });

  it('says when the query was still running (partial results)', () => {
    const result = parseLogs(text('insights-api-running.json'));
    expect(result.stats).toMatchObject({ format: 'insights-api', entries: 5 });
    expect(result.stats.notes).toEqual([
      expect.stringMatching(/^Partial results: the Logs Insights query was still running/),
    ]);
  });

  it('reads every complete row of a truncated file and reports the cut row', () => {
    const result = parseLogs(text('insights-api-truncated.json'));
    expectAccounting(result);
    expect(result.stats).toMatchObject({ format: 'insights-api', entries: 11, rejected: 1 });
    expect(result.issues[0]).toMatchObject({
      reason: 'broken-record',
      message: expect.stringMatching(/broken Logs Insights result row/),
    });
    expect(result.stats.notes).toEqual([expect.stringMatching(/cut short/)]);
  });
});

describe('Logs Insights console JSON download', () => {
  it('reads @message as a string or as an already parsed object', () => {
    const result = parseLogs(text('insights-console.json'));
    expectAccounting(result);
    expect(result.stats).toMatchObject({ format: 'insights-json', records: 22, entries: 22, rejected: 0 });
    expect(names(result)).toEqual(allTypes);
    expect(fieldOf(frameOf(result.frames, 'UpdateJobExecution'), 'versionNumber').values).toEqual(['1']);
  });
});

describe('filter-log-events and get-log-events', () => {
  it('reads filter-log-events output with line numbers', () => {
    const result = parseLogs(text('filter-log-events.json'));
    expectAccounting(result);
    expect(result.stats).toMatchObject({ format: 'filter-log-events', records: 22, entries: 22 });
    expect(names(result)).toEqual(allTypes);
  });

  it('skips the event get-log-events repeats across pages, and says so', () => {
    const result = parseLogs(text('get-log-events.json'));
    expectAccounting(result);
    expect(result.stats).toMatchObject({ format: 'get-log-events', records: 6, entries: 6, skipped: 1 });
    expect(names(result)).toEqual(
      examples
        .slice(0, 6)
        .map((e) => e.eventType)
        .sort()
    );
    expect(result.stats.notes).toEqual([expect.stringMatching(/^1 duplicate log event/)]);
  });

  it('a container of something else (a Lambda log group) gives no frames and one clear reason', () => {
    const result = parseLogs(text('filter-log-events-lambda.json'));
    expectAccounting(result);
    expect(result.frames).toEqual([]);
    expect(result.stats).toMatchObject({
      format: 'filter-log-events',
      records: 40,
      entries: 0,
      rejected: 40,
      rejectedByReason: { 'not-json': 40 },
    });
  });
});

describe('export to S3', () => {
  it('inflates the gzip file and joins multi-line messages', () => {
    const result = parseLogs(fixture('s3-export-000000.gz'));
    expectAccounting(result);
    expect(result.stats).toMatchObject({
      format: 's3-export',
      compression: 'gzip',
      records: 22,
      entries: 22,
      rejected: 0,
    });
    expect(names(result)).toEqual(allTypes);
  });

  it('reads what comes before the cut of a truncated gzip and says it is truncated', () => {
    const result = parseLogs(fixture('s3-export-truncated.gz'));
    expectAccounting(result);
    expect(result.stats.format).toBe('s3-export');
    expect(result.stats.entries).toBeGreaterThan(5);
    expect(result.stats.entries).toBeLessThan(22);
    expect(result.stats.notes).toEqual([expect.stringMatching(/gzip.*truncated/)]);
  });
});

describe('subscription filters', () => {
  it('reads a decoded payload', () => {
    const result = parseLogs(text('subscription-payload.json'));
    expect(result.stats).toMatchObject({ format: 'subscription', records: 8, entries: 8, rejected: 0 });
    expect(names(result)).toEqual(
      examples
        .slice(0, 8)
        .map((e) => e.eventType)
        .sort()
    );
  });

  it('reads the Lambda event (base64 of gzip)', () => {
    const result = parseLogs(text('subscription-lambda-event.json'));
    expect(result.stats).toMatchObject({ format: 'subscription', records: 8, entries: 8, rejected: 0 });
    expect(names(result)).toEqual(
      examples
        .slice(8, 16)
        .map((e) => e.eventType)
        .sort()
    );
  });

  it('reads pasted awslogs.data alone (base64 of gzip)', () => {
    const data = JSON.parse(text('subscription-lambda-event.json')).awslogs.data;
    expect(parseLogs(data).stats).toMatchObject({ format: 'subscription', compression: 'gzip', entries: 8 });
  });

  it('reads Firehose files of concatenated payloads and skips control messages without calling them broken', () => {
    const result = parseLogs(fixture('firehose-payloads.gz'));
    expectAccounting(result);
    expect(result.stats).toMatchObject({
      format: 'subscription',
      compression: 'gzip',
      records: 22,
      entries: 22,
      rejected: 0,
      skipped: 1,
    });
    expect(result.stats.notes).toEqual([expect.stringMatching(/^1 control message/)]);
  });

  it('reports a payload whose base64 is broken', () => {
    const result = parseLogs(text('subscription-bad-base64.json'));
    expectAccounting(result);
    expect(result.stats).toMatchObject({ format: 'subscription', records: 1, rejected: 1 });
    expect(result.issues).toEqual([
      expect.objectContaining({ line: 1, reason: 'broken-record', message: 'awslogs.data is not base64' }),
    ]);
  });
});

describe('gzip', () => {
  it('stops a gzip bomb at the size limit with a clear message', () => {
    const bomb = fixture('gzip-bomb.gz');
    expect(bomb.length).toBeLessThan(100 * 1024);
    const result = parseLogs(bomb, { maxInflatedBytes: 8 * 1024 * 1024 });
    expectAccounting(result);
    expect(result.stats.notes).toEqual([expect.stringMatching(/inflates to more than 8 MB \(the limit\)/)]);
  });

  it('finds gzip by its magic bytes whatever the content, and reads raw entries in it', () => {
    const raw = examples.map((e) => e.text).join('\n');
    const result = parseLogs(gzipSync(new TextEncoder().encode(raw)));
    expect(result.stats).toMatchObject({ format: 'json-objects', compression: 'gzip', entries: 22 });
  });

  it('reports corrupt gzip', () => {
    const bytes = gzipSync(new TextEncoder().encode(examples[0].text));
    bytes.fill(0xff, 12, 30);
    const result = parseLogs(bytes);
    expectAccounting(result);
    expect(result.stats.notes).toEqual([expect.stringMatching(/^The input is gzip, but the gzip data is/)]);
  });
});

describe('format override', () => {
  it('reads the input as the named container', () => {
    const lines = examples.map((e) => `2020-09-08T04:00:24.000Z ${JSON.stringify(e.json)}`).join('\n');
    expect(parseLogs(lines).stats.format).toBe('s3-export');
    // Read as raw entries, the lines' export prefixes are still recognised: nothing is lost.
    const forced = parseLogs(lines, { format: 'ndjson' });
    expect(forced.stats).toMatchObject({ format: 's3-export', entries: 22, rejected: 0 });
    // A container that does not fit hands the text back: it is read as what it is, and the result says so.
    const csv = parseLogs(lines, { format: 'insights-csv' });
    expect(csv.stats).toMatchObject({ format: 's3-export', entries: 22, rejected: 0 });
    expect(csv.stats.notes).toContainEqual(expect.stringMatching(/^No Logs Insights console CSV download found/));
  });
});

describe('CSV downloads (parsed end to end)', () => {
  it.each([
    [
      'logs-insights-results.csv',
      'insights-csv',
      ['Connect', 'Publish-In', 'Publish-Out', 'RuleExecution', 'RuleMatch', 'Subscribe', 'UpdateThingShadow'],
      0,
    ],
    [
      'logs-insights-fields.csv',
      'insights-csv',
      ['Connect', 'Publish-In', 'RuleExecution', 'RuleMatch', 'Subscribe'],
      0,
    ],
    [
      'grafana-logs-panel.csv',
      'grafana-csv',
      ['Connect', 'Publish-In', 'RuleExecution', 'RuleNotFound', 'Subscribe'],
      0,
    ],
    [
      'logs-insights-unclosed-quote.csv',
      'insights-csv',
      ['Connect', 'Disconnect', 'RuleExecution', 'RuleMatch', 'Subscribe'],
      1,
    ],
  ])('%s', (file, format, eventTypes, rejected) => {
    const result = parseLogs(fixture(file));
    expectAccounting(result);
    expect(result.stats).toMatchObject({ format, entries: eventTypes.length, rejected });
    expect(names(result)).toEqual(eventTypes);
  });

  it('takes the time from the entry, not from the Grafana CSV Time column (no ms, viewer zone)', () => {
    const result = parseLogs(fixture('grafana-logs-panel.csv'));
    const ruleNotFound = frameOf(result.frames, 'RuleNotFound');
    expect(fieldOf(ruleNotFound, 'timestamp').values).toEqual([Date.UTC(2017, 9, 4, 19, 25, 46, 70)]);
  });

  it('reports the row with an unclosed quote and reads the rows after it', () => {
    const result = parseLogs(fixture('logs-insights-unclosed-quote.csv'));
    expect(result.issues).toEqual([
      { line: 4, record: 2, reason: 'broken-record', message: expect.stringMatching(/unclosed quote.*line 5/) },
    ]);
  });

  it('a Logs Insights CSV of a Lambda log group gives no frames', () => {
    const result = parseLogs(fixture('lambda-logs-insights.csv'));
    expectAccounting(result);
    expect(result.frames).toEqual([]);
    expect(result.stats).toMatchObject({ format: 'insights-csv', entries: 0, rejected: 5 });
  });
});
