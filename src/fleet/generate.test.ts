import { parseTables } from '../parsing';
import { parseJobCounts } from '../parsing/derive';
import { fleetText, formatIotTimestamp, generateFleet, isLoggedAt } from './generate';
import { generateScenario, scenario, SCENARIOS } from './scenarios';
import { HOUR, MINUTE, type FleetSpec, type GeneratedFleet } from './types';

/** An entry as the tests read it. */
interface Entry {
  t: number;
  timestamp: string;
  logLevel: string;
  status: string;
  eventType: string;
  clientId?: string;
  sourceIp?: string;
  topicName?: string;
  ruleName?: string;
  reason?: string;
  disconnectReason?: string;
  jobId?: string;
  details?: string;
  [key: string]: unknown;
}

function readEntry(line: string): Entry {
  const e = JSON.parse(line) as Entry;
  return { ...e, t: Date.parse(`${e.timestamp.replace(' ', 'T')}Z`) };
}

const cache = new Map<string, { fleet: GeneratedFleet; entries: Entry[] }>();
function load(name: string): { fleet: GeneratedFleet; entries: Entry[] } {
  let hit = cache.get(name);
  if (!hit) {
    const fleet = generateScenario(name);
    const entries = fleet.entries.map(readEntry);
    hit = { fleet, entries };
    cache.set(name, hit);
  }
  return hit;
}

const minutes = (m: number) => m * MINUTE;
const inside = (e: Entry, from: number, to: number) => e.t >= from && e.t <= to;

describe('generateFleet', () => {
  const spec: FleetSpec = {
    seed: 7,
    start: '2024-05-06T00:00:00Z',
    durationMs: 3 * HOUR,
    devices: 8,
    logLevel: 'INFO',
    problems: [
      { kind: 'storm', device: 'sensor-002', from: HOUR, to: HOUR + minutes(5) },
      { kind: 'bruteForce', sourceIp: '192.0.2.66', from: minutes(30), to: minutes(40) },
    ],
  };

  it('writes the same entries and truth for a seed, other entries for another seed', () => {
    const a = generateFleet(spec);
    const b = generateFleet(spec);
    expect(b.entries).toEqual(a.entries);
    expect(b.truth).toEqual(a.truth);
    const c = generateFleet({ ...spec, seed: 8 });
    expect(c.entries).not.toEqual(a.entries);
    expect(c.truth.map((p) => p.subject)).toEqual(a.truth.map((p) => p.subject));
  });

  it('names things by prefix or by the names given', () => {
    expect(generateFleet({ ...spec, problems: [], thingPrefix: 'pump' }).things.slice(0, 2)).toEqual([
      'pump-001',
      'pump-002',
    ]);
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const fleet = generateFleet({ ...spec, problems: [], thingNames: names });
    expect(fleet.things).toEqual(names);
    expect(new Set(fleet.entries.map((l) => (JSON.parse(l) as Entry).clientId))).not.toContain('sensor-001');
  });

  it('refuses a problem about a device or rule the fleet does not have', () => {
    expect(() => generateFleet({ ...spec, problems: [{ kind: 'limit', device: 'nope', from: 0, to: HOUR }] })).toThrow(
      /nope/
    );
    expect(() =>
      generateFleet({ ...spec, problems: [{ kind: 'throttledRule', rule: 'Nope', from: 0, to: HOUR }] })
    ).toThrow(/Nope/);
    expect(() =>
      generateFleet({
        ...spec,
        problems: [{ kind: 'failingRule', rule: 'AlarmsToSNS', mode: 'notFound', from: 0, to: HOUR }],
      })
    ).toThrow(/AlarmsToSNS/);
  });

  it('formats times as AWS does: UTC, no zone, milliseconds', () => {
    expect(formatIotTimestamp(Date.UTC(2024, 4, 6, 3, 4, 5, 6))).toBe('2024-05-06 03:04:05.006');
  });
});

describe.each(SCENARIOS.map((s) => s.name))('scenario %s', (name) => {
  it('is read by parseTables with nothing rejected, every event type and every written field documented', () => {
    const { fleet, entries } = load(name);
    const result = parseTables(fleetText(fleet));
    expect(result.issues).toEqual([]);
    expect(result.stats.rejected).toBe(0);
    expect(result.stats.entries).toBe(fleet.entries.length);
    const written = new Map<string, Set<string>>();
    for (const e of entries) {
      const keys = written.get(e.eventType) ?? new Set<string>();
      Object.keys(e).forEach((k) => keys.add(k));
      written.set(e.eventType, keys);
    }
    const problems: string[] = [];
    for (const table of result.tables) {
      if (!table.documented) {
        problems.push(`${table.eventType} is not documented`);
      }
      for (const c of table.columns) {
        if (written.get(table.eventType)?.has(c.name) && !c.documented) {
          problems.push(`${table.eventType}.${c.name} is not documented`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(result.tables.map((t) => t.eventType).sort()).toEqual([...written.keys()].sort());
  });

  it("writes AWS's V2 entries in time order, at the spec's log level or above, inside the fleet's time", () => {
    const { fleet, entries } = load(name);
    const { spec } = scenario(name);
    const problems: string[] = [];
    const check = (ok: boolean, i: number, what: string) => {
      if (!ok && problems.length < 10) {
        problems.push(`entry ${i}: ${what}: ${fleet.entries[i]}`);
      }
    };
    let previous = -Infinity;
    for (const [i, e] of entries.entries()) {
      const keys = Object.keys(e);
      check(keys[0] === 'timestamp' && keys[1] === 'logLevel', i, 'common attributes first');
      check(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/.test(e.timestamp), i, 'timestamp format');
      check(['DEBUG', 'INFO', 'WARN', 'ERROR'].includes(e.logLevel), i, 'logLevel');
      check(['Success', 'Failure', 'SucceededWithIssues'].includes(e.status), i, 'status');
      check(isLoggedAt(e.logLevel, spec.logLevel), i, 'below the log level');
      check(e.t >= previous && e.t >= fleet.start && e.t < fleet.end, i, 'time order and range');
      // jobs entries have no traceId, the others have one
      check(typeof e.traceId === (/JobExecution/.test(e.eventType) ? 'undefined' : 'string'), i, 'traceId');
      check(e.accountId === '123456789012', i, 'accountId');
      check(e.status !== 'Failure' || e.logLevel === 'ERROR', i, 'failures are ERROR');
      previous = e.t;
    }
    expect(problems).toEqual([]);
  });

  it("has a truth whose windows lie in the fleet's time, each with evidence", () => {
    const { fleet } = load(name);
    for (const p of fleet.truth) {
      expect(p.from).toBeLessThanOrEqual(p.to);
      expect(p.from).toBeGreaterThanOrEqual(fleet.start - MINUTE);
      expect(p.to).toBeLessThanOrEqual(fleet.end);
      expect(p.evidence).toBeGreaterThan(0);
    }
    for (const p of fleet.hidden) {
      expect(p.evidence).toBe(0);
    }
  });
});

/** Failures a problem injects: none of them may appear in a quiet fleet. */
function problemLike(e: Entry): string | undefined {
  if (e.reason === 'DUPLICATE_CLIENT_ID' || e.disconnectReason === 'DUPLICATE_CLIENTID') {
    return 'duplicate client id';
  }
  if (e.eventType === 'RuleMessageThrottled' || e.eventType === 'RuleNotFound') {
    return e.eventType;
  }
  if (e.eventType === 'RuleExecution' && e.status !== 'Success') {
    return 'failing rule action';
  }
  if (e.reason === 'AUTHORIZATION_FAILURE' || e.reason === 'CLIENT_ERROR') {
    return e.reason;
  }
  if (
    /JobExecution/.test(e.eventType) &&
    (e.status !== 'Success' || /destination status is (FAILED|REJECTED)/.test(e.details ?? ''))
  ) {
    return 'failed job execution';
  }
  if (e.eventType === 'ReportFinalJobExecutionCount') {
    const counts = parseJobCounts(e.details ?? '');
    if (counts.FAILED > 0 || counts.REJECTED > 0) {
      return 'job with failures';
    }
  }
  if (e.eventType.includes('LimitExceeded') || e.eventType === 'Connection.AuthNError') {
    return e.eventType;
  }
  return undefined;
}

describe.each(['quiet', 'quietErrorOnly', 'quietDay'])('quiet fleet %s', (name) => {
  it('has no truth and no failure of the kinds problems inject', () => {
    const { fleet, entries } = load(name);
    expect(fleet.truth).toEqual([]);
    expect(fleet.hidden).toEqual([]);
    expect(entries.map(problemLike).filter((x) => x !== undefined)).toEqual([]);
  });

  it('has only harmless errors: stale shadow versions and indexing fields', () => {
    const { entries } = load(name);
    const errors = entries.filter((e) => e.logLevel === 'ERROR');
    expect(errors.length).toBeGreaterThan(0);
    expect(new Set(errors.map((e) => e.eventType))).toEqual(
      new Set(['UpdateThingShadow', 'IndexingCustomFieldFailed'].filter((t) => errors.some((e) => e.eventType === t)))
    );
  });

  it('has no device reconnecting often and every device heard from throughout', () => {
    const { fleet, entries } = load(name);
    const { spec } = scenario(name);
    for (const thing of fleet.things) {
      const mine = entries.filter((e) => e.clientId === thing);
      expect(mine.filter((e) => e.eventType === 'Connect').length).toBeLessThanOrEqual(3);
      if (spec.logLevel === 'INFO') {
        const publishes = mine.filter((e) => e.eventType === 'Publish-In').map((e) => e.t);
        const gaps = publishes.slice(1).map((t, i) => t - publishes[i]);
        // telemetry every 5 minutes, an ordinary drop lasts up to 10 minutes
        expect(Math.max(...gaps, publishes[0] - fleet.start, fleet.end - publishes[publishes.length - 1])).toBeLessThan(
          minutes(20)
        );
      }
    }
  });
});

describe('injected problems are visible in their windows', () => {
  const at = (name: string, offset: number) => load(name).fleet.start + offset;

  it('storm: sensor-004 connects again and again', () => {
    const { entries } = load('storm');
    const from = at('storm', 2 * HOUR);
    const to = at('storm', 2 * HOUR + minutes(10));
    const connects = entries.filter((e) => e.eventType === 'Connect' && e.clientId === 'sensor-004');
    expect(connects.filter((e) => inside(e, from, to)).length).toBeGreaterThanOrEqual(20);
    expect(connects.filter((e) => !inside(e, from - minutes(15), to + minutes(15))).length).toBeLessThanOrEqual(2);
    const drops = entries.filter(
      (e) => e.eventType === 'Disconnect' && e.clientId === 'sensor-004' && inside(e, from, to)
    );
    expect(new Set(drops.map((e) => e.disconnectReason))).toEqual(new Set(['MQTT_KEEP_ALIVE_TIMEOUT']));
  });

  it('wave: 12 devices drop within 20 s and are back within a minute', () => {
    const { fleet, entries } = load('wave');
    const from = at('wave', 3 * HOUR);
    const drops = entries.filter((e) => e.eventType === 'Disconnect' && inside(e, from, from + 20_000));
    const back = entries.filter((e) => e.eventType === 'Connect' && inside(e, from, from + minutes(1)));
    expect(new Set(drops.map((e) => e.clientId)).size).toBe(12);
    expect(new Set(back.map((e) => e.clientId))).toEqual(new Set(drops.map((e) => e.clientId)));
    expect([...fleet.truth[0].devices!].sort()).toEqual([...new Set(drops.map((e) => e.clientId!))].sort());
  });

  it('takeover: two source IPs take sensor-007 in turns', () => {
    const { entries } = load('takeover');
    const own = entries.find((e) => e.clientId === 'sensor-007')!.sourceIp;
    const from = at('takeover', 90 * MINUTE) - 60_000;
    const to = at('takeover', 110 * MINUTE) + 60_000;
    const mine = entries.filter((e) => e.clientId === 'sensor-007' && inside(e, from, to));
    const duplicates = mine.filter((e) => e.reason === 'DUPLICATE_CLIENT_ID');
    expect(duplicates.length).toBeGreaterThanOrEqual(10);
    expect(duplicates.every((e) => e.disconnectReason === 'DUPLICATE_CLIENTID' && e.status === 'Failure')).toBe(true);
    expect(new Set(duplicates.map((e) => e.sourceIp))).toEqual(new Set(['192.0.2.199', own]));
    expect(entries.filter((e) => e.reason === 'DUPLICATE_CLIENT_ID' && !inside(e, from, to))).toEqual([]);
  });

  it('bruteForce: one source IP fails authorization for many client IDs', () => {
    const { fleet, entries } = load('bruteForce');
    const failures = entries.filter((e) => e.eventType === 'Connect' && e.reason === 'AUTHORIZATION_FAILURE');
    expect(new Set(failures.map((e) => e.sourceIp))).toEqual(new Set(['203.0.113.250']));
    expect(failures.length).toBeGreaterThanOrEqual(100);
    expect(new Set(failures.map((e) => e.clientId)).size).toBeGreaterThanOrEqual(30);
    expect(failures.every((e) => inside(e, at('bruteForce', 4 * HOUR), at('bruteForce', 4 * HOUR + minutes(20))))).toBe(
      true
    );
    expect(fleet.truth[0].devices).toEqual([...new Set(failures.map((e) => e.clientId!))].sort());
  });

  it("authBurst: sensor-011's publishes and subscriptions are refused", () => {
    const { entries } = load('authBurst');
    const refused = entries.filter((e) => e.reason === 'AUTHORIZATION_FAILURE');
    expect(new Set(refused.map((e) => e.clientId))).toEqual(new Set(['sensor-011']));
    expect(new Set(refused.map((e) => e.eventType))).toEqual(new Set(['Publish-In', 'Subscribe']));
    expect(refused.length).toBeGreaterThanOrEqual(10);
    expect(refused.every((e) => inside(e, at('authBurst', 150 * MINUTE), at('authBurst', 3 * HOUR)))).toBe(true);
  });

  it('throttledRule: TelemetryToTimestream is throttled during the burst only', () => {
    const { entries } = load('throttledRule');
    const throttled = entries.filter((e) => e.eventType === 'RuleMessageThrottled');
    expect(throttled.length).toBeGreaterThanOrEqual(30);
    expect(new Set(throttled.map((e) => e.ruleName))).toEqual(new Set(['TelemetryToTimestream']));
    expect(throttled[0].reason).toBe('RuleExecutionThrottled');
    expect(
      throttled.every((e) => inside(e, at('throttledRule', 210 * MINUTE), at('throttledRule', 220 * MINUTE)))
    ).toBe(true);
  });

  it("failingRule: StatusToDynamoDB's action fails in its window only", () => {
    const { entries } = load('failingRule');
    const failed = entries.filter((e) => e.eventType === 'RuleExecution' && e.status === 'Failure');
    expect(failed.length).toBeGreaterThanOrEqual(20);
    expect(new Set(failed.map((e) => e.ruleName))).toEqual(new Set(['StatusToDynamoDB']));
    expect(failed[0].details).toMatch(/Error Code: AccessDeniedException/);
    expect(failed.every((e) => inside(e, at('failingRule', HOUR), at('failingRule', 3 * HOUR)))).toBe(true);
    const after = entries.filter(
      (e) => e.eventType === 'RuleExecution' && e.ruleName === 'StatusToDynamoDB' && e.t > at('failingRule', 3 * HOUR)
    );
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((e) => e.status === 'Success')).toBe(true);
  });

  it('ruleNotFound: publishes to a missing Basic Ingest rule', () => {
    const { entries } = load('ruleNotFound');
    const missing = entries.filter((e) => e.eventType === 'RuleNotFound');
    expect(missing.length).toBeGreaterThanOrEqual(10);
    expect(
      missing.every((e) => e.ruleName === 'DeviceOnboarding' && e.topicName === '$aws/rules/DeviceOnboarding')
    ).toBe(true);
  });

  it('limit: sensor-015 sends messages over the size limit', () => {
    const { entries } = load('limit');
    const big = entries.filter((e) => e.reason === 'CLIENT_ERROR');
    expect(big.length).toBeGreaterThanOrEqual(5);
    expect(new Set(big.map((e) => `${e.eventType} ${e.clientId}`))).toEqual(new Set(['Publish-In sensor-015']));
    expect(big.every((e) => inside(e, at('limit', 4 * HOUR), at('limit', 5 * HOUR)))).toBe(true);
  });

  it('failedJob: the final count shows the failures, the truth names the failing devices', () => {
    const { fleet, entries } = load('failedJob');
    const final = entries.filter(
      (e) => e.eventType === 'ReportFinalJobExecutionCount' && e.jobId === 'fw-update-2024-05-06'
    );
    expect(final).toHaveLength(1);
    expect(parseJobCounts(final[0].details!)).toMatchObject({ FAILED: 2, REJECTED: 1, SUCCEEDED: 4 });
    const [truth] = fleet.truth;
    expect(truth.devices).toHaveLength(4);
    expect(truth.from).toBe(at('failedJob', 2 * HOUR));
    expect(truth.to).toBe(final[0].t);
    // at INFO the executions' own updates (DEBUG) are not logged
    expect(entries.filter((e) => e.eventType === 'UpdateJobExecution' && e.status === 'Success')).toEqual([]);
    // the timed-out execution's late update is refused (ERROR)
    const refused = entries.filter((e) => e.eventType === 'UpdateJobExecution' && e.status === 'Failure');
    expect(refused.map((e) => e.clientId)).toEqual([truth.devices![3]]);
  });

  it('failedJob at DEBUG: each failing execution is logged with its destination status', () => {
    const fleet = generateFleet({ ...scenario('failedJob').spec, logLevel: 'DEBUG' });
    const [truth] = fleet.truth;
    const updates = fleet.entries
      .map(readEntry)
      .filter((e) => e.eventType === 'UpdateJobExecution' && e.jobId === 'fw-update-2024-05-06');
    const ended = (status: string) =>
      updates.filter((e) => e.details?.startsWith(`The destination status is ${status}.`)).map((e) => e.clientId);
    expect(ended('FAILED')).toEqual(truth.devices!.slice(0, 2));
    expect(ended('REJECTED')).toEqual(truth.devices!.slice(2, 3));
    expect(ended('SUCCEEDED')).toHaveLength(4);
  });

  it('silentDevice: sensor-019 is heard before 02:00 and never after its Disconnect', () => {
    const { entries } = load('silentDevice');
    const silence = at('silentDevice', 2 * HOUR);
    const mine = entries.filter((e) => e.clientId === 'sensor-019');
    expect(mine.filter((e) => e.t < silence && e.eventType === 'Publish-In').length).toBeGreaterThan(10);
    const after = mine.filter((e) => e.t >= silence);
    expect(after.map((e) => `${e.eventType} ${e.disconnectReason}`)).toEqual(['Disconnect CONNECTION_LOST']);
  });

  it('silentConnected: sensor-018 publishes nothing from 03:00 and does not disconnect', () => {
    const { entries } = load('silentConnected');
    const mine = entries.filter((e) => e.clientId === 'sensor-018');
    expect(mine.filter((e) => e.t < at('silentConnected', 3 * HOUR)).length).toBeGreaterThan(10);
    expect(mine.filter((e) => e.t >= at('silentConnected', 3 * HOUR))).toEqual([]);
  });

  it('outlier: sensor-002 publishes about 10× as much telemetry as the other devices', () => {
    const { fleet, entries } = load('outlier');
    const from = at('outlier', HOUR);
    const to = at('outlier', 4 * HOUR);
    const telemetry = entries.filter(
      (e) => e.eventType === 'Publish-In' && e.topicName?.endsWith('/telemetry') && inside(e, from, to)
    );
    const perDevice = fleet.things.map((thing) => telemetry.filter((e) => e.clientId === thing).length);
    const others = perDevice.filter((_, i) => fleet.things[i] !== 'sensor-002').sort((a, b) => a - b);
    const median = others[Math.floor(others.length / 2)];
    expect(perDevice[fleet.things.indexOf('sensor-002')] / median).toBeGreaterThan(8);
    expect(Math.max(...others) / median).toBeLessThan(1.5);
  });

  it('mixed: eight problems, each with its subject', () => {
    const { fleet } = load('mixed');
    expect(fleet.truth.map((p) => `${p.kind} ${p.subject.type}:${p.subject.id}`)).toEqual([
      'storm device:sensor-004',
      'failedJob job:fw-update-2024-05-06',
      'takeover device:sensor-007',
      'bruteForce sourceIp:203.0.113.250',
      'silentDevice device:sensor-019',
      'throttledRule rule:TelemetryToTimestream',
      'outlier device:sensor-002',
      'failingRule rule:StatusToDynamoDB',
    ]);
    expect(fleet.hidden).toEqual([]);
  });

  it('mixedErrorOnly: what ERROR entries cannot show is hidden, the rest keeps its subject and time', () => {
    const mixed = load('mixed').fleet;
    const { fleet, entries } = load('mixedErrorOnly');
    expect(entries.every((e) => e.logLevel === 'ERROR')).toBe(true);
    expect(fleet.hidden.map((p) => p.kind).sort()).toEqual(['outlier', 'silentDevice', 'storm']);
    for (const p of fleet.truth) {
      const same = mixed.truth.find((q) => q.kind === p.kind && q.subject.id === p.subject.id);
      expect(same).toBeDefined();
      expect([p.from, p.to]).toEqual([same!.from, same!.to]);
    }
  });
});
