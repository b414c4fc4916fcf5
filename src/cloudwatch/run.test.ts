import { LoadingState, SupplementaryQueryType, type DataFrame, type DataQueryResponse } from '@grafana/data';
import { lastValueFrom, queueScheduler, toArray } from 'rxjs';

import { DataSource } from '../datasource';
import { fleetText, generateFleet, HOUR, MINUTE } from '../fleet/generate';
import { NO_BACKEND, NO_VARIABLES, TEST_SETTINGS, testRequest } from '../testDataSource';
import { getDefaultQuery, type IotLogsOptions, type IotLogsQuery } from '../types';
import { FakeCloudWatch } from './fakeCloudWatch';
import { entriesQuery } from './insights';
import { editedStatsGroups } from './run';
import { INSIGHTS_ROW_CAP } from './types';

const fleet = generateFleet({
  seed: 5,
  start: '2024-05-06T00:00:00Z',
  durationMs: 2 * HOUR,
  devices: 10,
  logLevel: 'INFO',
  problems: [{ kind: 'storm', device: 'sensor-003', from: HOUR, to: HOUR + 5 * MINUTE }],
});
const text = fleetText(fleet);
const lines = text.split('\n').filter((l) => l.trim() !== '');
const range = { from: fleet.start, to: fleet.end - 1 };

const settings = (jsonData: IotLogsOptions = { cloudWatchUid: 'cw-prod', logGroups: ['AWSIotLogsV2'] }) => ({
  ...TEST_SETTINGS,
  jsonData,
});

function setup(entries: string[] = lines, jsonData?: IotLogsOptions) {
  const fake = new FakeCloudWatch(entries, { scheduler: queueScheduler, stepMs: 0, name: 'CloudWatch prod' });
  const found: Array<string | undefined> = [];
  const ds = new DataSource(settings(jsonData), NO_VARIABLES, NO_BACKEND, async (uid) => {
    found.push(uid);
    if (uid !== 'cw-prod') {
      throw new Error(`no ${uid}`);
    }
    return fake;
  });
  return { ds, fake, found };
}

const cw = (patch: Partial<IotLogsQuery> = {}): IotLogsQuery => ({
  ...getDefaultQuery(),
  refId: 'A',
  source: { type: 'cloudwatch' },
  ignoreTimeRange: false,
  ...patch,
});
const file = (patch: Partial<IotLogsQuery> = {}): IotLogsQuery => ({
  ...getDefaultQuery(),
  refId: 'F',
  source: { type: 'inline', content: text },
  ignoreTimeRange: false,
  ...patch,
});

async function responses(ds: DataSource, targets: IotLogsQuery[], requestId = 'R1'): Promise<DataQueryResponse[]> {
  return lastValueFrom(ds.query(testRequest(targets, { range, requestId, intervalMs: MINUTE })).pipe(toArray()));
}

/**
 * Frames without what differs by design between two runs: refId, the source in data links, and the
 * logs frame's `id` (the record's place in the input: AWS returns only the matching entries).
 */
function comparable(frames: DataFrame[]) {
  return frames.map((f) => ({
    name: f.name,
    length: f.length,
    fields: f.fields
      .filter((x) => x.name !== 'id')
      .map((x) => ({ name: x.name, type: x.type, values: x.values, labels: x.labels })),
  }));
}

describe('the CloudWatch source', () => {
  it('runs a logs query as one Logs Insights query with its filters pushed down, parsed like the same file', async () => {
    const { ds, fake } = setup();
    const query = cw({ eventTypes: ['Connect'], statuses: ['Success'] });
    const all = await responses(ds, [query]);
    const last = all.at(-1)!;
    expect(last.state).toBe(LoadingState.Done);
    expect(last.errors).toBeUndefined();
    expect(last.key).toBe('R1'); // the plugin's own key, not CloudWatch's
    expect(fake.calls).toHaveLength(1);
    const [target] = fake.calls[0].targets;
    expect(target).toMatchObject({
      refId: 'A',
      datasource: { type: 'cloudwatch', uid: 'cw-prod' },
      queryMode: 'Logs',
      queryLanguage: 'CWLI',
      region: 'default',
      logGroups: [{ arn: 'AWSIotLogsV2', name: 'AWSIotLogsV2' }],
      statsGroups: [],
    });
    expect(target.expression).toBe(
      entriesQuery(
        {
          components: [],
          eventTypes: ['Connect'],
          statuses: ['Success'],
          logLevels: [],
          fieldFilters: [],
          topicFilters: [],
          search: '',
        },
        { limit: INSIGHTS_ROW_CAP }
      ).expression
    );
    expect(target.expression).toMatch(/^fields @timestamp, @message, @logStream, @log \| /);
    // the same frames as the same entries read from a file
    const [onFile] = await responses(setup().ds, [file({ eventTypes: ['Connect'], statuses: ['Success'] })], 'R2');
    expect(last.data.length).toBeGreaterThan(0);
    expect(comparable(last.data)).toEqual(comparable(onFile.data));
  });

  it('runs time series and counts as stats in AWS, shaped like the same outputs on files', async () => {
    for (const patch of [
      { output: 'timeseries', groupBy: ['status'] },
      { output: 'timeseries', groupBy: [] },
      { output: 'counts', groupBy: ['clientId'], limit: 5 },
      { output: 'counts', groupBy: ['component'] },
    ] as Array<Partial<IotLogsQuery>>) {
      const { ds, fake } = setup();
      const last = (await responses(ds, [cw(patch)])).at(-1)!;
      expect(last.errors).toBeUndefined();
      const [target] = fake.calls.at(-1)!.targets;
      expect(target.expression).toMatch(/(^|\| )stats count\(\*\) as count by /);
      if (patch.output === 'timeseries') {
        expect(target.statsGroups[0]).toMatch(/^bin\(/);
      }
      const [onFile] = await responses(setup().ds, [file(patch)], 'R2');
      expect(comparable(last.data)).toEqual(comparable(onFile.data));
    }
  });

  it("counts Explore's log volume in AWS, by level, like the volume of the same file", async () => {
    const { ds, fake } = setup();
    const volume = ds.getSupplementaryQuery({ type: SupplementaryQueryType.LogsVolume }, cw())!;
    const last = (await responses(ds, [volume])).at(-1)!;
    expect(last.errors).toBeUndefined();
    expect(fake.calls[0].targets[0].expression).toMatch(/stats count\(\*\) as count by bin\(\w+\), logLevel$/);
    const fileVolume = ds.getSupplementaryQuery({ type: SupplementaryQueryType.LogsVolume }, file())!;
    const [onFile] = await responses(setup().ds, [fileVolume], 'R2');
    expect(last.data.length).toBeGreaterThan(0);
    expect(comparable(last.data)).toEqual(comparable(onFile.data));
  });

  it('types an undocumented split field as files do (JSON numbers are numbers, "002" stays text)', async () => {
    const custom = lines.slice(0, 200).map((line, i) => {
      const entry = JSON.parse(line);
      return JSON.stringify({ ...entry, newCode: i % 3, batch: i % 2 ? '002' : '010' });
    });
    for (const groupBy of [['newCode'], ['batch']]) {
      const { ds } = setup(custom);
      const last = (await responses(ds, [cw({ output: 'counts', groupBy })])).at(-1)!;
      const [onFile] = await responses(
        setup(custom).ds,
        [file({ output: 'counts', groupBy, source: { type: 'inline', content: custom.join('\n') } })],
        'R2'
      );
      expect(comparable(last.data)).toEqual(comparable(onFile.data));
    }
  });

  it('runs a time series split by many groups in two steps (ranking, then the top groups and the others), like the file', async () => {
    for (const patch of [
      { output: 'timeseries', groupBy: ['clientId'], limit: 3 },
      { output: 'timeseries', groupBy: ['clientId'], limit: 3, metric: 'distinct', metricField: 'traceId' },
      { output: 'timeseries', groupBy: ['eventType', 'clientId'], limit: 4 },
      { output: 'timeseries', groupBy: ['clientId'], limit: 50 },
    ] as Array<Partial<IotLogsQuery>>) {
      const { ds, fake } = setup();
      const last = (await responses(ds, [cw(patch)])).at(-1)!;
      expect(last.errors).toBeUndefined();
      expect(fake.calls).toHaveLength(2);
      expect(fake.calls[0].targets[0].expression).toMatch(
        / by (eventType, )?clientId \| sort count desc \| limit 10000$/
      );
      const second = fake.calls[1].targets;
      if (patch.limit === 50) {
        // every group fits: one binned query, no condition on the groups
        expect(second.map((t) => t.refId)).toEqual(['A']);
        expect(second[0].expression).not.toMatch(/clientId in|clientId like/);
      } else {
        expect(second.map((t) => t.refId)).toEqual(['A', 'A~other']);
        expect(second[0].expression).toMatch(/filter .*clientId in \[/);
        expect(second[1].expression).toMatch(/filter not \(/);
      }
      const [onFile] = await responses(setup().ds, [file(patch)], 'R2');
      expect(comparable(last.data)).toEqual(comparable(onFile.data));
    }
  });

  it('pushes filters down to AWS without losing an entry the plugin keeps (stats and entries equal the file)', async () => {
    for (const patch of [
      { statuses: ['failure'], eventTypes: ['Connect', 'Disconnect'] },
      { logLevels: ['error', 'WARN'] },
      { components: ['message-broker'], search: 'SENSOR-00' },
      { topicFilters: ['dt/+/telemetry', '$aws/things/+/shadow/#'] },
      { fieldFilters: [{ field: 'clientId', op: '=~', value: '(?i)^SENSOR-00[1-3]$' }] },
      {
        fieldFilters: [
          { field: 'sourcePort', op: 'exists' },
          { field: 'clientId', op: '!=', value: 'sensor-001' },
        ],
      },
    ] as Array<Partial<IotLogsQuery>>) {
      for (const output of [
        { output: 'counts', groupBy: ['eventType'] },
        { output: 'timeseries', groupBy: ['status'] },
        { output: 'logs' },
      ] as Array<Partial<IotLogsQuery>>) {
        const { ds } = setup();
        const last = (await responses(ds, [cw({ ...patch, ...output })])).at(-1)!;
        const [onFile] = await responses(setup().ds, [file({ ...patch, ...output })], 'R2');
        expect([JSON.stringify(patch), output.output, last.errors]).toEqual([
          JSON.stringify(patch),
          output.output,
          undefined,
        ]);
        expect(comparable(last.data)).toEqual(comparable(onFile.data));
      }
    }
  });

  it('forwards Loading with partial results, then Done', async () => {
    // answers a few milliseconds apart (each shaped before the next arrives)
    const fake = new FakeCloudWatch(lines, { stepMs: 5, name: 'CloudWatch prod' });
    const ds = new DataSource(settings(), NO_VARIABLES, NO_BACKEND, async () => fake);
    const all = await responses(ds, [cw({ output: 'counts', groupBy: ['eventType'] })]);
    expect(all.length).toBeGreaterThan(1);
    expect(all.slice(0, -1).every((r) => r.state === LoadingState.Loading)).toBe(true);
    expect(all.at(-1)!.state).toBe(LoadingState.Done);
    // the final answer once, as Done (not first as Loading)
    expect(JSON.stringify(all.at(-2)!.data)).not.toBe(JSON.stringify(all.at(-1)!.data));
    expect(all.every((r) => r.key === 'R1')).toBe(true);
  });

  it('sends every CloudWatch query of a request in one call, files beside them, with a request id per call', async () => {
    const { ds, fake } = setup();
    const last = (await responses(ds, [cw({ refId: 'A' }), file(), cw({ refId: 'B', output: 'counts' })])).at(-1)!;
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0].targets.map((t) => t.refId)).toEqual(['A', 'B']);
    expect(new Set(last.data.map((f: DataFrame) => f.refId))).toEqual(new Set(['A', 'F', 'B']));
    await responses(ds, [cw()], 'R1');
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls[0].requestId).not.toBe(fake.calls[1].requestId);
    expect(fake.calls[0].requestId).not.toBe('R1');
  });

  it('stops the AWS query when the query is cancelled', async () => {
    const fake = new FakeCloudWatch(lines, { stepMs: 50, name: 'CloudWatch prod' });
    const ds = new DataSource(settings(), NO_VARIABLES, NO_BACKEND, async () => fake);
    const seen: DataQueryResponse[] = [];
    const subscription = ds.query(testRequest([cw()], { range, requestId: 'C1' })).subscribe((r) => seen.push(r));
    await new Promise<void>((resolve) => {
      const check = () => (fake.calls.length > 0 ? resolve() : setTimeout(check, 5));
      check();
    });
    subscription.unsubscribe();
    expect(fake.calls[0].unsubscribed).toBe(true);
    expect(fake.calls[0].completed).toBe(false);
  });

  it('says when the result hit the 10,000-row cap, suggesting the time series output or a narrower range', async () => {
    const many = Array.from({ length: INSIGHTS_ROW_CAP + 5 }, (_, i) =>
      JSON.stringify({
        timestamp: new Date(fleet.start + i * 100).toISOString().replace('T', ' ').slice(0, 23),
        logLevel: 'INFO',
        traceId: `t-${i}`,
        accountId: '012345678901',
        status: 'Success',
        eventType: 'Publish-In',
        protocol: 'MQTT',
        topicName: 'dt/x',
        clientId: 'sensor-1',
        principalId: 'p',
        sourceIp: '203.0.113.1',
        sourcePort: 5000,
      })
    );
    const { ds } = setup(many);
    const last = (await responses(ds, [cw()])).at(-1)!;
    const notices = last.data.flatMap((f: DataFrame) => f.meta?.notices ?? []);
    expect(notices.some((n) => /maximum of 10,000 rows/.test(n.text) && /time series/.test(n.text))).toBe(true);
    expect(last.data.reduce((n: number, f: DataFrame) => n + f.length, 0)).toBe(INSIGHTS_ROW_CAP);
  });

  it('runs an edited Logs Insights query as written, the query filters still applying to its entries', async () => {
    const { ds, fake } = setup();
    const expression = 'fields @timestamp, @message | filter eventType = "Disconnect" | limit 500';
    const last = (
      await responses(ds, [
        cw({
          source: { type: 'cloudwatch', expression },
          fieldFilters: [{ field: 'clientId', op: '=', value: 'sensor-003' }],
        }),
      ])
    ).at(-1)!;
    expect(fake.calls[0].targets[0].expression).toBe(expression);
    const clientIds = new Set(
      last.data.flatMap((f: DataFrame) => f.fields.find((x) => x.name === 'clientId')?.values ?? [])
    );
    expect([...clientIds]).toEqual(['sensor-003']);
  });

  it('keeps counting in AWS when the written stats query is edited (its `by` fields stand for the split)', async () => {
    const patch: Partial<IotLogsQuery> = { output: 'timeseries', groupBy: ['status'] };
    const written = setup();
    const before = (await responses(written.ds, [cw(patch)])).at(-1)!;
    const expression = written.fake.calls[0].targets[0].expression;
    const edited = setup();
    const after = (await responses(edited.ds, [cw({ ...patch, source: { type: 'cloudwatch', expression } })])).at(-1)!;
    expect(edited.fake.calls[0].targets[0]).toMatchObject({ expression, statsGroups: ['bin(1m)', 'status'] });
    expect(after.errors).toBeUndefined();
    expect(comparable(after.data)).toEqual(comparable(before.data));
    expect(editedStatsGroups('filter a = 1 | stats count(*) as n by bin(5m), `resources.topic`, floor(x, 2)')).toEqual([
      'bin(5m)',
      'resources.topic',
      'floor(x, 2)',
    ]);
    expect(editedStatsGroups('fields @message | limit 5')).toBeUndefined();
  });

  it('aborts the parse of the entries when the query is cancelled', async () => {
    const fake = new FakeCloudWatch(lines, { stepMs: 0, loadingSteps: 0, name: 'CloudWatch prod' });
    const signals: AbortSignal[] = [];
    const ds = new DataSource(settings(), NO_VARIABLES, NO_BACKEND, async () => fake);
    const context = (ds as unknown as { cloudWatchCache: { get: (...args: unknown[]) => unknown } }).cloudWatchCache;
    context.get = (...args: unknown[]) => {
      signals.push(args[4] as AbortSignal);
      return new Promise(() => {}); // a parse that never ends
    };
    const subscription = ds.query(testRequest([cw()], { range, requestId: 'C2' })).subscribe();
    await new Promise<void>((resolve) => {
      const check = () => (signals.length > 0 ? resolve() : setTimeout(check, 5));
      check();
    });
    expect(signals[0].aborted).toBe(false);
    subscription.unsubscribe();
    expect(signals[0].aborted).toBe(true);
  });

  it('reports each error on its own query, in words', async () => {
    const none = new DataSource(settings({}), NO_VARIABLES, NO_BACKEND);
    let last = (await responses(none, [cw(), file()])).at(-1)!;
    expect(last.errors).toEqual([{ refId: 'A', message: expect.stringMatching(/Choose a CloudWatch data source/) }]);
    expect(last.data.some((f: DataFrame) => f.refId === 'F')).toBe(true);

    const { ds, fake } = setup();
    fake.fail('invalid-query', 'B');
    last = (await responses(ds, [cw({ refId: 'A' }), cw({ refId: 'B' })])).at(-1)!;
    expect(last.state).toBe(LoadingState.Error);
    expect(last.errors).toEqual([{ refId: 'B', message: expect.stringMatching(/Logs Insights rejected the query/) }]);
    expect(last.data.some((f: DataFrame) => f.refId === 'A' && f.length > 0)).toBe(true);

    const denied = setup();
    denied.fake.fail('access-denied');
    last = (await responses(denied.ds, [cw()])).at(-1)!;
    expect(last.errors?.[0].message).toMatch(/permission/i);
  });

  it('tests the settings: a tiny Logs Insights query, and says what is wrong', async () => {
    const { ds } = setup();
    await expect(ds.testDatasource()).resolves.toMatchObject({
      status: 'success',
      message: expect.stringMatching(/Logs Insights query on AWSIotLogsV2/),
    });
    const missing = new DataSource(settings({ cloudWatchUid: 'gone' }), NO_VARIABLES, NO_BACKEND, async () => {
      throw new Error("The CloudWatch data source chosen in this data source's settings (uid gone) was not found");
    });
    await expect(missing.testDatasource()).resolves.toMatchObject({
      status: 'error',
      message: expect.stringMatching(/not found/),
    });
    const denied = setup();
    denied.fake.fail('access-denied');
    await expect(denied.ds.testDatasource()).resolves.toMatchObject({
      status: 'error',
      message: expect.stringMatching(/permission/i),
    });
  });
});
