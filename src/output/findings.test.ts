import { readFileSync } from 'fs';
import { join } from 'path';

import { fleetText } from '../fleet/generate';
import { generateScenario, poolScores, SCENARIOS, scoreFindings, type Score } from '../fleet/scenarios';
import { MINUTE, SECOND, type SubjectType } from '../fleet/types';
import { parseTables } from '../parsing';
import { tableOf, type TestRow } from '../parsing/testTables';
import { NO_FILTER, selectRows } from '../query/filter';
import { DEFAULT_THRESHOLDS, detectFindings, findingsOutput, thresholdsOf, type Finding } from './findings';
import type { Selection } from './types';

const T0 = Date.UTC(2024, 4, 6, 2, 0, 0);
const RANGE = { from: T0 - 3_600_000, to: T0 + 3_600_000 };

const sel = (eventType: string, rows: TestRow[]): Selection => ({ table: tableOf(eventType, rows) });

function connects(clientId: string, n: number, everyMs: number, ip = '198.51.100.10'): TestRow[] {
  return Array.from({ length: n }, (_, i) => ({
    timestamp: T0 + i * everyMs,
    status: 'Success',
    clientId,
    sourceIp: ip,
    traceId: `t-${clientId}-${i}`,
  }));
}

function disconnects(clientId: string, n: number, everyMs: number, reason: string, ips = ['198.51.100.10']): TestRow[] {
  return Array.from({ length: n }, (_, i) => ({
    timestamp: T0 + i * everyMs + 5 * SECOND,
    status: reason === 'DUPLICATE_CLIENTID' ? 'Failure' : 'Success',
    clientId,
    sourceIp: ips[i % ips.length],
    disconnectReason: reason,
  }));
}

const kinds = (fs: Finding[]) => fs.map((f) => `${f.kind} ${f.subject.type}:${f.subject.id}`);

describe('detectors', () => {
  it('storm: 10 connects in 10 minutes is a storm, 9 is not; the sentence names the reason and threshold', () => {
    const nine = detectFindings(
      [
        sel('Connect', connects('s-1', 9, 30 * SECOND)),
        sel('Disconnect', disconnects('s-1', 9, 30 * SECOND, 'MQTT_KEEP_ALIVE_TIMEOUT')),
      ],
      RANGE
    );
    expect(kinds(nine)).toEqual([]);
    const ten = detectFindings(
      [
        sel('Connect', connects('s-1', 10, 30 * SECOND)),
        sel('Disconnect', disconnects('s-1', 10, 30 * SECOND, 'MQTT_KEEP_ALIVE_TIMEOUT')),
      ],
      RANGE
    );
    expect(kinds(ten)).toEqual(['storm device:s-1']);
    const [storm] = ten;
    expect(storm.threshold).toEqual({ name: 'stormConnects', value: 10, observed: 10 });
    expect(storm.sentence).toContain('s-1 reconnected 10 times');
    expect(storm.sentence).toContain('MQTT_KEEP_ALIVE_TIMEOUT');
    expect(storm.sentence).toContain('threshold: ≥ 10 connects in 10 min');
    expect(storm.first).toBe(T0);
    expect(storm.last).toBe(T0 + 9 * 30 * SECOND);
    expect(storm.evidence.fieldFilters).toEqual([{ field: 'clientId', op: '=', value: 's-1' }]);
    expect(storm.traceIds.length).toBe(10);
  });

  it('storm: a query threshold overrides the default and is the one reported', () => {
    const found = detectFindings([sel('Connect', connects('s-1', 4, 30 * SECOND))], RANGE, { stormConnects: 4 });
    expect(kinds(found)).toEqual(['storm device:s-1']);
    expect(found[0].threshold).toEqual({ name: 'stormConnects', value: 4, observed: 4 });
  });

  it('takeover: DUPLICATE_CLIENT_ID disconnects from two IPs in turns are critical, and no storm is added', () => {
    const ips = ['198.51.100.10', '192.0.2.199'];
    const found = detectFindings(
      [
        sel('Connect', [...connects('s-7', 6, 20 * SECOND, ips[0]), ...connects('s-7', 6, 20 * SECOND, ips[1])]),
        sel('Disconnect', disconnects('s-7', 12, 10 * SECOND, 'DUPLICATE_CLIENTID', ips)),
      ],
      RANGE
    );
    expect(kinds(found)).toEqual(['takeover device:s-7']);
    expect(found[0].severity).toBe('critical');
    expect(found[0].sentence).toContain('2 source IPs in turns');
    expect(found[0].threshold.name).toBe('takeoverDisconnects');
  });

  it('takeover: one stray session from another IP is not "in turns"', () => {
    const found = detectFindings(
      [
        sel('Connect', [...connects('s-8', 6, 20 * SECOND), ...connects('s-8', 1, 20 * SECOND, '192.0.2.5')]),
        sel('Disconnect', disconnects('s-8', 8, 10 * SECOND, 'DUPLICATE_CLIENTID')),
      ],
      RANGE
    );
    expect(kinds(found)).toEqual(['takeover device:s-8']);
    expect(found[0].severity).toBe('warning');
    expect(found[0].sentence).toContain('mostly from 198.51.100.10: two clients run with one client ID');
  });

  it('storm caused by two clients with one client ID from one IP: one storm finding naming the cause', () => {
    const found = detectFindings(
      [
        sel('Connect', connects('s-9', 12, 30 * SECOND)),
        sel('Disconnect', disconnects('s-9', 12, 30 * SECOND, 'DUPLICATE_CLIENTID')),
      ],
      RANGE
    );
    expect(kinds(found)).toEqual(['storm device:s-9']);
    expect(found[0].sentence).toContain('12 of 12 disconnects were DUPLICATE_CLIENT_ID: two clients run with one');
    // the evidence spans the disconnects the sentence counts, the last one after the last connect
    expect(found[0].evidence.from).toBe(T0);
    expect(found[0].evidence.to).toBe(T0 + 11 * 30 * SECOND + 5 * SECOND);
  });

  it('bruteForce: one source IP trying many client IDs; its attempts are no authBurst', () => {
    const rows: TestRow[] = Array.from({ length: 30 }, (_, i) => ({
      timestamp: T0 + i * 2 * SECOND,
      status: 'Failure',
      clientId: `guess-${i % 6}`,
      principalId: 'p-1',
      sourceIp: '203.0.113.250',
      reason: 'AUTHORIZATION_FAILURE',
    }));
    const found = detectFindings([sel('Connect', rows)], RANGE);
    expect(kinds(found)).toEqual(['bruteForce sourceIp:203.0.113.250']);
    expect(found[0].devices).toHaveLength(6);
    expect(found[0].threshold).toEqual({ name: 'bruteForceClientIds', value: 5, observed: 6 });
    // five client IDs are not enough: then it is an authorization burst of each client ID that has five
    const fewer = detectFindings([sel('Connect', rows)], RANGE, { bruteForceClientIds: 7 });
    expect(fewer.every((f) => f.kind === 'authBurst')).toBe(true);
  });

  it('authBurst: 5 refusals of one device in 10 minutes, not 4', () => {
    const rows = (n: number): TestRow[] =>
      Array.from({ length: n }, (_, i) => ({
        timestamp: T0 + i * MINUTE,
        status: 'Failure',
        clientId: 's-11',
        topicName: 'cmd/#',
        reason: 'AUTHORIZATION_FAILURE',
      }));
    expect(detectFindings([sel('Subscribe', rows(4))], RANGE)).toEqual([]);
    const found = detectFindings([sel('Subscribe', rows(5))], RANGE);
    expect(kinds(found)).toEqual(['authBurst device:s-11']);
    expect(found[0].sentence).toContain('threshold: ≥ 5 authorization failures in 10 min');
  });

  it('throttledRule, failingRule and limit', () => {
    const throttled: TestRow[] = Array.from({ length: 5 }, (_, i) => ({
      timestamp: T0 + i * SECOND,
      status: 'Failure',
      ruleName: 'R1',
      clientId: `d-${i}`,
      reason: 'RuleExecutionThrottled',
    }));
    const failing: TestRow[] = Array.from({ length: 3 }, (_, i) => ({
      timestamp: T0 + i * 10 * MINUTE,
      status: 'Failure',
      ruleName: 'R2',
      ruleAction: 'DynamoDBv2Action',
      details: 'denied (Error Code: AccessDeniedException; Request ID: x)',
    }));
    const big: TestRow[] = [
      {
        timestamp: T0,
        status: 'Failure',
        clientId: 'd-9',
        reason: 'CLIENT_ERROR',
        details: 'The payload size exceeds the maximum message size of 128 KB',
      },
    ];
    const found = detectFindings(
      [sel('RuleMessageThrottled', throttled), sel('RuleExecution', failing), sel('Publish-In', big)],
      RANGE
    );
    expect(kinds(found).sort()).toEqual(['failingRule rule:R2', 'limit device:d-9', 'throttledRule rule:R1']);
    expect(found.find((f) => f.kind === 'failingRule')?.sentence).toContain('AccessDeniedException');
    expect(detectFindings([sel('RuleExecution', failing.slice(0, 2))], RANGE)).toEqual([]);
  });

  it('failedJob: failed executions and the final count name the job and its devices', () => {
    const found = detectFindings(
      [
        sel('UpdateJobExecution', [
          {
            timestamp: T0,
            status: 'Success',
            jobId: 'fw-1',
            clientId: 'd-1',
            details: 'The destination status is FAILED. The request status is SUCCESS.',
          },
          {
            timestamp: T0 + MINUTE,
            status: 'Success',
            jobId: 'fw-1',
            clientId: 'd-2',
            details: 'The destination status is SUCCEEDED. The request status is SUCCESS.',
          },
        ]),
      ],
      RANGE
    );
    expect(kinds(found)).toEqual(['failedJob job:fw-1']);
    expect(found[0].devices).toEqual(['d-1']);
    expect(found[0].sentence).toContain('1 FAILED');
  });

  it('says nothing for an empty selection, and the output gives one ranked frame with a notice', () => {
    expect(detectFindings([], RANGE)).toEqual([]);
    const [frame] = findingsOutput([], { refId: 'A', output: 'logs' }, RANGE);
    expect(frame.name).toBe('findings');
    expect(frame.fields.map((f) => f.name)).toEqual([
      'severity',
      'kind',
      'subjectType',
      'subject',
      'first',
      'last',
      'count',
      'finding',
      'threshold',
      'evidence',
      'traceIds',
      'evidenceFilter',
    ]);
    expect(frame.fields.every((f) => typeof f.config.description === 'string')).toBe(true);
    expect(frame.meta?.notices?.[0].text).toContain('No findings');
  });

  it('thresholdsOf keeps the defaults and takes valid overrides only', () => {
    expect(thresholdsOf(undefined)).toEqual(DEFAULT_THRESHOLDS);
    const t = thresholdsOf({ stormConnects: 3, waveDevices: -1, nope: 4, authFailures: '7' });
    expect(t.stormConnects).toBe(3);
    expect(t.waveDevices).toBe(DEFAULT_THRESHOLDS.waveDevices);
    expect(t.authFailures).toBe(7);
    expect('nope' in t).toBe(false);
  });
});

// ------------------------------------------------------------------------------------------------

const FLEET_SUBJECTS: readonly string[] = ['device', 'sourceIp', 'rule', 'job', 'topic', 'fleet'];
function isFleetSubject(type: string): type is SubjectType {
  return FLEET_SUBJECTS.includes(type);
}
/** Findings as the scorer reads them (principal and api subjects are no fleet subject: they never match). */
function scored(found: Finding[]) {
  return found.map((f) => ({
    kind: f.kind,
    subject: isFleetSubject(f.subject.type)
      ? { type: f.subject.type, id: f.subject.id }
      : { type: 'topic' as const, id: `${f.subject.type}:${f.subject.id}` },
    first: f.first,
    last: f.last,
    finding: f,
  }));
}

describe('healthy fleets that look odd raise no finding (review)', () => {
  it('a fleet logging at ERROR: five failed disconnects within seconds are no wave (the fleet size is unknown)', () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({
      timestamp: T0 + i * 4 * SECOND,
      status: 'Failure',
      clientId: `dev-${i}`,
      disconnectReason: 'CONNECTION_LOST',
      logLevel: 'ERROR',
    }));
    expect(kinds(detectFindings([sel('Disconnect', rows)], RANGE))).toEqual([]);
  });

  it('an hourly reporter is not silent between its reports, nor a device that disconnected on purpose', () => {
    const hourly: TestRow[] = [0, 1, 2].map((h) => ({
      timestamp: T0 - 3_600_000 + h * 3_600_000,
      status: 'Success',
      clientId: 'dev-h',
      topicName: 'dt/dev-h',
    }));
    // The rest of the fleet is heard until the end, 56 minutes after dev-h's last report.
    const busy = connects('dev-b', 3, 28 * MINUTE);
    const clean: TestRow[] = [
      ...connects('dev-c', 3, MINUTE).map((r) => ({ ...r, timestamp: (r.timestamp as number) - 3_000_000 })),
    ];
    const goodbye = [
      {
        timestamp: T0 - 2_800_000,
        status: 'Success',
        clientId: 'dev-c',
        disconnectReason: 'CLIENT_INITIATED_DISCONNECT',
      },
    ];
    const found = detectFindings(
      [sel('Publish-In', hourly), sel('Connect', [...busy, ...clean]), sel('Disconnect', goodbye)],
      RANGE
    );
    expect(kinds(found).filter((k) => k.startsWith('silentDevice'))).toEqual([]);
  });

  it('two gateways publishing among subscribe-only sensors are no outliers', () => {
    const publishes: TestRow[] = ['gw-1', 'gw-2'].flatMap((clientId) =>
      Array.from({ length: 100 }, (_, i) => ({ timestamp: T0 + i * 30 * SECOND, status: 'Success', clientId }))
    );
    const sensors = Array.from({ length: 18 }, (_, i) => connects(`sensor-${i}`, 1, MINUTE)[0]);
    const found = detectFindings([sel('Publish-In', publishes), sel('Connect', sensors)], RANGE);
    expect(kinds(found).filter((k) => k.startsWith('outlier'))).toEqual([]);
  });

  it('a throttled jobs API request is no failed job execution', () => {
    const describe = [
      {
        timestamp: T0,
        status: 'Failure',
        clientId: 'thingOne',
        jobId: '002',
        reason: 'ThrottlingException',
        details: 'Rate exceeded',
      },
    ];
    expect(
      kinds(detectFindings([sel('DescribeJobExecution', describe)], RANGE)).filter((k) => k.startsWith('failedJob'))
    ).toEqual([]);
  });
});

describe('evidence and subjects (review)', () => {
  it('a throttled shadow is found by its thing, and the evidence filter selects its entries', () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({
      timestamp: T0 + i * SECOND,
      status: 'Failure',
      thingName: 'MyThing',
      topicName: '$aws/things/MyThing/shadow/update',
      reason: 'Throttled',
      details: 'Rate exceeded',
    }));
    const table = tableOf('UpdateThingShadow', rows);
    const [finding] = detectFindings([{ table }], RANGE).filter((f) => f.kind === 'throttling');
    expect(finding.subject).toEqual({ type: 'device', id: 'MyThing' });
    expect(finding.evidence.fieldFilters).toEqual([{ field: 'thingName', op: '=', value: 'MyThing' }]);
    const kept = selectRows([table], {
      ...NO_FILTER,
      fieldFilters: finding.evidence.fieldFilters.map((f) => ({ field: f.field, op: f.op, values: [f.value!] })),
    }).selections;
    expect(kept.reduce((n, x) => n + (x.rows ? x.rows.length : x.table.length), 0)).toBe(5);
  });

  it("a rule action throttled downstream is the rule's failure, not the device's throttling", () => {
    const rows = Array.from({ length: 6 }, (_, i) => ({
      timestamp: T0 + i * SECOND,
      status: 'Failure',
      clientId: 'pump-06',
      ruleName: 'TelemetryToTimestream',
      details: 'ThrottlingException: Rate exceeded',
    }));
    const found = kinds(detectFindings([sel('RuleExecution', rows)], RANGE));
    expect(found.filter((k) => k.startsWith('throttling'))).toEqual([]);
  });
});

describe('fleet scenarios', () => {
  const TOLERANCE = 2 * MINUTE;
  const scores: Array<[string, Score]> = [];
  for (const s of SCENARIOS) {
    it(`${s.name}: every problem found with its subject and time, nothing else`, () => {
      const fleet = generateScenario(s.name);
      const { tables } = parseTables(fleetText(fleet));
      const { selections } = selectRows(tables, NO_FILTER);
      const found = detectFindings(selections, { from: fleet.start, to: fleet.end });
      const score = scoreFindings(fleet.truth, scored(found), TOLERANCE);
      scores.push([s.name, score]);
      expect(score.missed).toEqual([]);
      expect(score.spurious.map((f) => f.finding.sentence)).toEqual([]);
      expect(score.duplicates).toEqual([]);
      expect(score.recall).toBe(1);
      expect(score.precision).toBe(1);
    });
  }
  afterAll(() => {
    const pooled = poolScores(scores.map(([, s]) => s));
    const rows = scores.map(
      ([name, s]) =>
        `| ${name} | ${s.matched.length + s.missed.length} | ${s.matched.length + s.duplicates.length + s.spurious.length} | ${s.precision.toFixed(2)} | ${s.recall.toFixed(2)} |`
    );
    // the README's table (printed when FINDINGS_TABLE is set)
    if (process.env.FINDINGS_TABLE) {
      process.stdout.write(
        [
          '| scenario | problems | findings | precision | recall |',
          '| --- | --- | --- | --- | --- |',
          ...rows,
          `| pooled | | | ${pooled.precision.toFixed(2)} | ${pooled.recall.toFixed(2)} |`,
          '',
        ].join('\n')
      );
    }
  });
});

describe('the bundled sample', () => {
  const text = readFileSync(join(__dirname, '..', 'sample', 'fleet-day.json'), 'utf8');
  const { tables } = parseTables(text);
  for (const t of tables) {
    for (const a of [t.time, t.body, t.record, ...t.columns.map((c) => c.values)]) {
      Object.freeze(a); // the sharing rule: a write into a table's arrays throws
    }
  }
  const { selections } = selectRows(tables, NO_FILTER);
  const day = Date.UTC(2024, 2, 4);
  const at = (h: number, m: number) => day + (h * 60 + m) * MINUTE;
  const found = detectFindings(selections, { from: day, to: day + 24 * 60 * MINUTE });
  const overlaps = (f: Finding, from: number, to: number) => f.first <= to && f.last >= from;

  it('finds the 14:00 reconnect storm', () => {
    const storms = found.filter((f) => f.kind === 'storm' && overlaps(f, at(14, 0), at(14, 10)));
    expect(storms.map((f) => f.subject.id).sort()).toEqual(['gateway-03', 'gateway-04', 'sensor-flow-03']);
  });

  it('reports each device of the storm once, with its cause', () => {
    const at14 = found.filter((f) => ['storm', 'takeover'].includes(f.kind) && overlaps(f, at(14, 0), at(14, 10)));
    expect(at14.map((f) => `${f.kind} ${f.subject.id}`).sort()).toEqual([
      'storm gateway-03',
      'storm gateway-04',
      'storm sensor-flow-03',
    ]);
    for (const f of at14) {
      expect(f.sentence).toContain('DUPLICATE_CLIENT_ID: two clients run with one client ID');
    }
  });

  it('finds the 09:30 rule throttling', () => {
    expect(found.some((f) => f.kind === 'throttledRule' && overlaps(f, at(9, 30), at(9, 38)))).toBe(true);
  });

  it('finds the firmware job run', () => {
    const job = found.find((f) => f.kind === 'failedJob' && f.subject.id === 'fw-update-2024-03-04');
    expect(job?.count).toBe(2);
  });
});
