import { dateTime, LoadingState, type DataQueryRequest, type DataQueryResponse } from '@grafana/data';
import { lastValueFrom, Observable, of, queueScheduler, Subject, VirtualTimeScheduler } from 'rxjs';

import { awsDetail, delegate, describeError, type CloudWatchApi, type DelegatedResponse } from './delegate';
import { FakeCloudWatch, type FakeFailure } from './fakeCloudWatch';
import { messagesOf } from './messages';
import { insightsTarget } from './target';
import type { CloudWatchLogsTarget } from './types';

const T0 = Date.UTC(2024, 4, 6);
const entries = Array.from({ length: 40 }, (_, i) =>
  JSON.stringify({
    timestamp: new Date(T0 + i * 60_000).toISOString().replace('T', ' ').slice(0, 23),
    logLevel: 'INFO',
    accountId: '012345678901',
    status: i % 4 === 0 ? 'Failure' : 'Success',
    eventType: i % 2 === 0 ? 'Connect' : 'Disconnect',
    clientId: `sensor-${(i % 5) + 1}`,
  })
);

const ENTRIES = 'fields @timestamp, @message, @logStream, @log | sort @timestamp desc | limit 10000';
const STATS = 'stats count(*) as count by bin(5m), status';

function target(refId: string, expression = ENTRIES, statsGroups: string[] = []): CloudWatchLogsTarget {
  return insightsTarget(refId, expression, statsGroups, { cloudWatchUid: 'cw' });
}

function pluginRequest(requestId = 'Q123'): DataQueryRequest<any> {
  const from = dateTime(T0);
  const to = dateTime(T0 + 3_600_000);
  return {
    targets: [{ refId: 'A' }, { refId: 'B' }],
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    requestId,
    interval: '1m',
    intervalMs: 60_000,
    maxDataPoints: 500,
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
    filters: [{ key: 'status', operator: '=', value: 'Failure' }],
  };
}

/** Runs a delegation on virtual time: every emission, in order. */
function run(fake: CloudWatchApi, targets: CloudWatchLogsTarget[], scheduler: VirtualTimeScheduler) {
  const seen: DelegatedResponse[] = [];
  let completed = false;
  const subscription = delegate(fake, targets, pluginRequest()).subscribe({
    next: (r) => seen.push(r),
    complete: () => (completed = true),
  });
  scheduler.flush();
  return { seen, completed: () => completed, subscription };
}

function fakeWith(failure?: FakeFailure, refId?: string) {
  const scheduler = new VirtualTimeScheduler();
  const fake = new FakeCloudWatch(entries, { scheduler, name: 'CW prod' });
  if (failure) {
    fake.fail(failure, refId);
  }
  return { fake, scheduler };
}

describe('delegate', () => {
  it('runs every target in one call with a request id of its own, and never passes the key on', () => {
    const { fake, scheduler } = fakeWith();
    const { seen, completed } = run(fake, [target('A'), target('B', STATS, ['bin(5m)', 'status'])], scheduler);
    expect(fake.calls).toHaveLength(1);
    const [call] = fake.calls;
    expect(call.targets.map((t) => t.refId)).toEqual(['A', 'B']);
    expect(call.requestId).toMatch(/^Q123-cloudwatch-\d+$/);
    expect(call.request.filters).toBeUndefined();
    expect(call.emissions.every((e) => e.key === 'test-key')).toBe(true);
    expect(seen.every((r) => !('key' in r) && r.requestId === call.requestId)).toBe(true);
    expect(completed()).toBe(true);
    expect(call.completed).toBe(true);
    expect(call.unsubscribed).toBe(false);
  });

  it('gives each call a request id no other call has', () => {
    const { fake, scheduler } = fakeWith();
    run(fake, [target('A')], scheduler);
    run(fake, [target('A')], scheduler);
    const other = delegate(fake, [target('A')], { ...pluginRequest(), requestId: '' }).subscribe();
    scheduler.flush();
    other.unsubscribe();
    const ids = fake.calls.map((c) => c.requestId);
    expect(new Set(ids).size).toBe(3);
    expect(ids[0]).toMatch(/^Q123-/);
  });

  it('forwards Loading with the partial frames and status, then Done with every row', () => {
    const { fake, scheduler } = fakeWith();
    const { seen } = run(fake, [target('A'), target('B', STATS, ['bin(5m)', 'status'])], scheduler);
    expect(seen.map((r) => r.state)).toEqual([LoadingState.Loading, LoadingState.Loading, LoadingState.Done]);
    const a = seen.map((r) => r.results[0]);
    expect(a.map((r) => r.status)).toEqual(['Scheduled', 'Running', 'Complete']);
    expect(a.map((r) => r.state)).toEqual([LoadingState.Loading, LoadingState.Loading, LoadingState.Done]);
    const rows = a.map((r) => messagesOf(r.frames).rows);
    expect(rows).toEqual([0, 13, 40]);
    expect(messagesOf(a[2].frames).missing).toBe(0);
    const b = seen[2].results[1];
    expect(b.refId).toBe('B');
    expect(b.frames.every((f) => f.refId === 'B')).toBe(true);
    expect(b.frames.flatMap((f) => f.fields.find((x) => x.name === 'count')!.values).reduce((s, v) => s + v, 0)).toBe(
      40
    );
  });

  it('stops the CloudWatch query when unsubscribed', () => {
    const { fake, scheduler } = fakeWith();
    const seen: DelegatedResponse[] = [];
    const subscription = delegate(fake, [target('A')], pluginRequest()).subscribe((r) => {
      seen.push(r);
      subscription.unsubscribe();
    });
    scheduler.flush();
    expect(seen).toHaveLength(1);
    expect(seen[0].state).toBe(LoadingState.Loading);
    expect(fake.calls[0].unsubscribed).toBe(true);
    expect(fake.calls[0].emissions).toHaveLength(1);
  });

  it('stops listening once Done (no cancellation after the end)', () => {
    const { fake, scheduler } = fakeWith();
    const { subscription } = run(fake, [target('A')], scheduler);
    subscription.unsubscribe();
    expect(fake.calls[0].unsubscribed).toBe(false);
  });

  it.each<[FakeFailure, string, RegExp]>([
    [
      'invalid-query',
      'invalid-query',
      /^Logs Insights rejected the query: unexpected symbol found \| at line 1 and position 42 \(MalformedQueryException\)$/,
    ],
    [
      'access-denied',
      'permission',
      /^The CloudWatch data source "CW prod" has no permission .*logs:StartQuery.*not authorized/,
    ],
    ['timeout', 'timeout', /^The Logs Insights query timed out before it completed; partial results may be shown\./],
    ['timeout-status', 'timeout', /timed out .*raise the logs timeout of the CloudWatch data source "CW prod"/],
    ['failed-status', 'failed', /^The Logs Insights query failed in AWS \(status Failed\)/],
    ['cancelled-status', 'cancelled', /^The Logs Insights query was cancelled before it completed/],
    ['http-403', 'permission', /^The CloudWatch data source "CW prod" refused the query \(403\): it has no permission/],
    [
      'throw',
      'exception',
      /^The CloudWatch data source "CW prod" could not run the query: CloudWatch data source exploded$/,
    ],
  ])('reports %s as a sentence on the target (%s)', (failure, kind, message) => {
    const { fake, scheduler } = fakeWith(failure);
    const { seen, completed } = run(fake, [target('A')], scheduler);
    const last = seen[seen.length - 1];
    expect(completed()).toBe(true);
    expect(last.state).toBe(LoadingState.Error);
    expect(last.results[0]).toMatchObject({ refId: 'A', state: LoadingState.Error, errorKind: kind });
    expect(last.results[0].error).toMatch(message);
  });

  it('keeps the partial rows of a query that timed out', () => {
    const { fake, scheduler } = fakeWith('timeout');
    const { seen } = run(fake, [target('A')], scheduler);
    const last = seen[seen.length - 1].results[0];
    expect(last.status).toBe('Cancelled');
    expect(messagesOf(last.frames).rows).toBeGreaterThan(0);
  });

  it('reports a failure on its target alone', () => {
    const { fake, scheduler } = fakeWith('invalid-query', 'B');
    const { seen } = run(fake, [target('A'), target('B', 'stats nonsense(')], scheduler);
    const last = seen[seen.length - 1];
    expect(last.state).toBe(LoadingState.Error);
    expect(last.results[0]).toMatchObject({ refId: 'A', state: LoadingState.Done, status: 'Complete' });
    expect(last.results[1]).toMatchObject({ refId: 'B', state: LoadingState.Error, errorKind: 'invalid-query' });
    // The error shows as soon as it is known, while A still runs.
    expect(seen[0].state).toBe(LoadingState.Loading);
    expect(seen[0].results[1].error).toMatch(/^Logs Insights rejected the query/);
  });

  it('reports a query the fake cannot read as rejected (the real one: MalformedQueryException)', () => {
    const { fake, scheduler } = fakeWith();
    const { seen } = run(fake, [target('A', 'stats median(x) by bin(5m)', ['bin(5m)'])], scheduler);
    expect(seen).toHaveLength(1);
    expect(seen[0].results[0].error).toMatch(/^Logs Insights rejected the query: the fake knows count/);
  });

  it('takes a Promise from query()', async () => {
    const response: DataQueryResponse = {
      data: [{ refId: 'A', fields: [], length: 0, meta: { custom: { Status: 'Complete' } } }],
      key: 'test-key',
      state: LoadingState.Done,
    };
    const api: CloudWatchApi = { query: () => Promise.resolve(response) };
    const last = await lastValueFrom(delegate(api, [target('A')], pluginRequest()));
    expect(last.state).toBe(LoadingState.Done);
    expect(last.results[0]).toMatchObject({ refId: 'A', status: 'Complete', state: LoadingState.Done });
  });

  it('ends with an error when the data source hands an error on as a value, or stops early', () => {
    const values = new Subject<unknown>();
    let unsubscribed = false;
    const api: CloudWatchApi = {
      query: () =>
        new Observable<DataQueryResponse>((subscriber) => {
          const s = values.subscribe((v) => subscriber.next(v as DataQueryResponse));
          return () => {
            unsubscribed = true;
            s.unsubscribe();
          };
        }),
    };
    const seen: DelegatedResponse[] = [];
    delegate(api, [target('A')], pluginRequest()).subscribe((r) => seen.push(r));
    values.next({ data: [{ refId: 'A', fields: [], length: 0, meta: { custom: { Status: 'Running' } } }] });
    values.next({ status: 500, data: { message: 'bad gateway' } });
    expect(seen.map((r) => r.state)).toEqual([LoadingState.Loading, LoadingState.Error]);
    expect(seen[1].results[0].error).toBe('The CloudWatch data source reported an error: bad gateway');
    expect(unsubscribed).toBe(true);

    const stopped = delegate(
      { query: () => of({ data: [{ refId: 'A', fields: [], length: 0, meta: { custom: { Status: 'Running' } } }] }) },
      [target('A'), target('B')],
      pluginRequest()
    );
    const results: DelegatedResponse[] = [];
    stopped.subscribe((r) => results.push(r));
    const last = results[results.length - 1];
    expect(last.results[0].error).toMatch(/stopped answering before the query completed \(status Running\)/);
    expect(last.results[1]).toMatchObject({ errorKind: 'no-result' });
  });

  it('answers no targets without a call', () => {
    const fake = new FakeCloudWatch(entries, { scheduler: queueScheduler, stepMs: 0 });
    const seen: DelegatedResponse[] = [];
    delegate(fake, [], pluginRequest()).subscribe((r) => seen.push(r));
    expect(seen).toEqual([{ requestId: expect.any(String), state: LoadingState.Done, results: [] }]);
    expect(fake.calls).toHaveLength(0);
  });

  it('keeps the AWS message and exception name of an SDK error', () => {
    expect(
      awsDetail(
        'failed to execute log action with subtype: StartQuery: operation error CloudWatch Logs: StartQuery, https ' +
          'response error StatusCode: 400, RequestID: x, ResourceNotFoundException: Log group does not exist'
      )
    ).toBe('Log group does not exist (ResourceNotFoundException)');
    expect(awsDetail('plain text')).toBe('plain text');
  });
});

describe('describeError (review)', () => {
  it('tells credentials AWS refuses apart from a missing permission', () => {
    const api = { name: 'CW prod', query: () => of({ data: [] }) } as unknown as CloudWatchApi;
    for (const text of [
      'UnrecognizedClientException: The security token included in the request is invalid.',
      'ExpiredTokenException: The security token included in the request is expired',
      'InvalidClientTokenId: The security token included in the request is invalid',
    ]) {
      const { kind, message } = describeError({ message: text }, api);
      expect(kind).toBe('permission');
      expect(message).toMatch(/could not sign in to AWS: its credentials are missing, wrong or expired/);
    }
    expect(
      describeError({ message: 'AccessDeniedException: not authorized to perform: logs:StartQuery' }, api).message
    ).toMatch(/no permission to run this Logs Insights query/);
  });
});
