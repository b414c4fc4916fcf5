/**
 * A deterministic generator of AWS IoT Core log entries (log group AWSIotLogsV2) for a fleet, with
 * injected problems and their ground truth, so that fleet-health detectors can be scored.
 *
 * How a fleet is made (in this order, each step from its own seeded stream):
 * 1. Things: client ID = thing name, a certificate (principalId) and a source IP each; all connected
 *    before the start (their Connect is not in the log).
 * 2. Problems mark where they happen: offline windows (storm, takeover, wave, silent device) and stretches
 *    where the devices involved have no ordinary drop.
 * 3. Ordinary drops (CONNECTION_LOST, MQTT_KEEP_ALIVE_TIMEOUT, client restarts) away from those.
 * 4. Sessions between the offline windows: Connect, subscriptions, shadow get and pending jobs after
 *    each (re)connect, Disconnect with its reason at the end.
 * 5. Traffic: telemetry, retained status, alarms, shadow reports, each through the matching rules
 *    (RuleMatch → StartingRuleExecution → RuleExecution per action, one traceId); jobs that succeed;
 *    a few harmless errors.
 * 6. The problems' own entries; each entry a problem causes carries the problem's index.
 * 7. Entries below the log level are dropped (as AWS does), the rest sorted by time. A problem's truth
 *    spans its entries; its evidence is how many of them are logged. A problem no logged entry shows
 *    is `hidden`.
 *
 * Entry shapes and levels follow the AWS reference and the bundled sample (scripts/generate-sample.mjs):
 * common attributes first (timestamp, logLevel, traceId, accountId, status, eventType), jobs entries
 * without traceId, DUPLICATE_CLIENTID disconnects ERROR/Failure, keep-alive timeouts WARN, successful
 * jobs requests and StartingRuleExecution DEBUG.
 */
import { matchesTopic, parseTopicFilter, type TopicFilter } from '../query/mqttTopic';
import { makeRng, type Rng } from './random';
import {
  DAY,
  HOUR,
  MINUTE,
  SECOND,
  type FleetSpec,
  type GeneratedFleet,
  type InjectedProblem,
  type LogLevelSetting,
  type NormalBehaviour,
  type ProblemSpec,
  type RuleSpec,
} from './types';

export * from './types';

const REGION = 'eu-west-1';
const DEFAULT_ACCOUNT = '123456789012';

export const DEFAULT_RULES: readonly RuleSpec[] = [
  {
    name: 'TelemetryToTimestream',
    topicFilter: 'dt/+/telemetry',
    actions: [{ ruleAction: 'TimestreamAction', resources: { DatabaseName: 'fleet', TableName: 'telemetry' } }],
  },
  {
    name: 'AlarmsToSNS',
    topicFilter: 'dt/+/alarm',
    actions: [
      { ruleAction: 'SnsAction', resources: { TargetArn: `arn:aws:sns:${REGION}:${DEFAULT_ACCOUNT}:fleet-alarms` } },
    ],
  },
  {
    name: 'StatusToDynamoDB',
    topicFilter: 'status/+',
    actions: [{ ruleAction: 'DynamoDBv2Action', resources: { TableName: 'device-status' } }],
  },
];

export const DEFAULT_NORMAL: NormalBehaviour = {
  telemetryEveryMs: 5 * MINUTE,
  statusEveryMs: HOUR,
  shadowEveryMs: 2 * HOUR,
  alarmsPerDevicePerDay: 2,
  dropsPerDevicePerDay: 1,
  jobsPerDay: 4,
  benignErrorsPerDay: 12,
  rules: DEFAULT_RULES,
};

const LEVEL_RANK: Record<string, number> = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3 };

type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
type Status = 'Success' | 'Failure' | 'SucceededWithIssues';
type FieldValue = string | number | Readonly<Record<string, string>> | ReadonlyArray<Record<string, string>>;
type Fields = Record<string, FieldValue | undefined>;

interface Pending {
  t: number;
  seq: number;
  level: Level;
  entry: Record<string, FieldValue>;
  problem: number;
  /** Whether the entry shows its problem (false: it only belongs to the problem's span, as a job's start). */
  shows: boolean;
}

interface OfflineWindow {
  from: number;
  /** Infinity: never back. */
  to: number;
  reason: string;
  /** The problem that made the window (its boundary entries are the problem's), or -1. */
  problem: number;
}

interface Session {
  start: number;
  end: number;
  ip: string;
  port: number;
  trace: string;
  endWindow?: OfflineWindow;
  startProblem: number;
}

interface Device {
  index: number;
  thing: string;
  clientId: string;
  principal: string;
  ip: string;
  windows: OfflineWindow[];
  /** Stretches where no ordinary drop may happen (a problem or a job needs the device connected). */
  quiet: Array<{ from: number; to: number }>;
  sessions: Session[];
  /** From then on the device publishes nothing (silentDevice, mode quiet). */
  silentFrom: number;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** AWS IoT's timestamp: `YYYY-MM-DD HH:mm:ss.SSS`, UTC, no zone designator. */
export function formatIotTimestamp(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
  );
}

const overlaps = (a: { from: number; to: number }, b: { from: number; to: number }, margin = 0) =>
  a.from < b.to + margin && b.from < a.to + margin;

const awsError = (message: string, service: string, code: string, requestId: string) =>
  `${message} (Service: ${service}; Status Code: 400; Error Code: ${code}; Request ID: ${requestId}; Proxy: null)`;

const JOB_STATUSES = ['QUEUED', 'IN_PROGRESS', 'FAILED', 'SUCCEEDED', 'CANCELED', 'REJECTED', 'REMOVED'] as const;
const SUCCESS = 'The request status is SUCCESS.';
const destination = (status: string) => `The destination status is ${status}. The request status is SUCCESS.`;
const DUPLICATE_DETAILS = 'A new connection was established with the same client ID';
const AUTHZ = { reason: 'AUTHORIZATION_FAILURE', details: 'Authorization Failure' } as const;
const PAYLOAD_TOO_LARGE = {
  reason: 'CLIENT_ERROR',
  details: 'The payload size exceeds the maximum message size of 128 KB',
} as const;

function startOf(spec: FleetSpec): number {
  const start = typeof spec.start === 'number' ? spec.start : Date.parse(spec.start);
  if (!Number.isFinite(start)) {
    throw new Error(`FleetSpec.start is not a time: ${String(spec.start)}`);
  }
  return start;
}

function thingNamesOf(spec: FleetSpec): string[] {
  if (spec.thingNames) {
    if (spec.thingNames.length !== spec.devices) {
      throw new Error(`FleetSpec.thingNames has ${spec.thingNames.length} names for ${spec.devices} devices`);
    }
    return [...spec.thingNames];
  }
  const prefix = spec.thingPrefix ?? 'sensor';
  return Array.from({ length: spec.devices }, (_, i) => `${prefix}-${pad(i + 1, 3)}`);
}

/** The source IP of the i-th device: three sites behind documentation ranges. */
function siteIp(i: number): string {
  const prefixes = ['198.51.100.', '203.0.113.', '192.0.2.'];
  const host = 10 + Math.floor(i / 3);
  if (host > 180) {
    throw new Error('At most 513 devices');
  }
  return `${prefixes[i % 3]}${host}`;
}

/** Generates the fleet's entries and the truth of its injected problems. Same spec, same output. */
export function generateFleet(spec: FleetSpec): GeneratedFleet {
  const START = startOf(spec);
  const END = START + spec.durationMs;
  const normal: NormalBehaviour = { ...DEFAULT_NORMAL, ...spec.normal };
  const account = spec.accountId ?? DEFAULT_ACCOUNT;
  const problems = spec.problems ?? [];
  const days = spec.durationMs / DAY;
  const things = thingNamesOf(spec);
  const base = makeRng(spec.seed, 'fleet');

  const devices: Device[] = things.map((thing, index) => ({
    index,
    thing,
    clientId: thing,
    principal: base.hex(64),
    ip: siteIp(index),
    windows: [],
    quiet: [],
    sessions: [],
    silentFrom: Infinity,
  }));
  const byName = new Map(devices.map((d) => [d.thing, d]));
  const deviceOf = (name: string): Device => {
    const d = byName.get(name);
    if (!d) {
      throw new Error(`No device named ${name} in the fleet`);
    }
    return d;
  };
  const rules = new Map(normal.rules.map((r) => [r.name, r]));
  const filters = new Map<string, TopicFilter>();
  for (const r of normal.rules) {
    const f = parseTopicFilter(r.topicFilter);
    if (f instanceof Error) {
      throw new Error(`Rule ${r.name}: ${f.message}`);
    }
    filters.set(r.name, f);
  }

  // ---------------------------------------------------------------------------------------------
  // Output.

  const pending: Pending[] = [];
  let seq = 0;
  const traffic = makeRng(spec.seed, 'traffic');
  /** One entry: common attributes in AWS's order, then the fields (undefined ones left out). */
  const log = (
    t: number,
    level: Level,
    status: Status,
    eventType: string,
    fields: Fields,
    options: { trace?: string | null; account?: boolean; problem?: number; shows?: boolean } = {}
  ) => {
    const time = Math.round(t);
    if (time < START || time >= END) {
      return;
    }
    const entry: Record<string, FieldValue> = { timestamp: formatIotTimestamp(time), logLevel: level };
    const trace = options.trace === undefined ? traffic.traceId() : options.trace;
    if (trace !== null) {
      entry.traceId = trace;
    }
    if (options.account !== false) {
      entry.accountId = account;
    }
    entry.status = status;
    entry.eventType = eventType;
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) {
        entry[key] = value;
      }
    }
    pending.push({ t: time, seq: seq++, level, entry, problem: options.problem ?? -1, shows: options.shows ?? true });
  };

  const ephemeralPort = (rng: Rng) => rng.int(32768, 60999);
  const client = (d: Device, s: { ip: string; port: number }) => ({
    clientId: d.clientId,
    principalId: d.principal,
    sourceIp: s.ip,
    sourcePort: s.port,
  });

  const connect = (t: number, d: Device, s: { ip: string; port: number; trace: string }, problem = -1) =>
    log(t, 'INFO', 'Success', 'Connect', { protocol: 'MQTT', ...client(d, s) }, { trace: s.trace, problem });

  const disconnect = (
    t: number,
    d: Device,
    s: { ip: string; port: number; trace: string },
    disconnectReason: string,
    problem = -1
  ) => {
    const duplicate = disconnectReason === 'DUPLICATE_CLIENTID';
    const warn = disconnectReason === 'MQTT_KEEP_ALIVE_TIMEOUT' || disconnectReason === 'THROTTLED';
    log(
      t,
      duplicate ? 'ERROR' : warn ? 'WARN' : 'INFO',
      duplicate ? 'Failure' : 'Success',
      'Disconnect',
      {
        protocol: 'MQTT',
        ...client(d, s),
        disconnectReason,
        reason: duplicate ? 'DUPLICATE_CLIENT_ID' : undefined,
        details: duplicate ? DUPLICATE_DETAILS : undefined,
      },
      { trace: s.trace, problem }
    );
  };

  const subscribe = (
    t: number,
    d: Device,
    s: Session,
    topicName: string,
    failure?: { reason: string; details: string },
    problem = -1
  ) =>
    log(
      t,
      failure ? 'ERROR' : 'INFO',
      failure ? 'Failure' : 'Success',
      'Subscribe',
      { protocol: 'MQTT', topicName, ...client(d, s), ...failure },
      { problem }
    );

  const publishIn = (
    t: number,
    d: Device,
    s: Session,
    topicName: string,
    trace: string,
    extra: { reason?: string; details?: string; retain?: boolean } = {},
    problem = -1
  ) => {
    const failed = extra.reason !== undefined;
    log(
      t,
      failed ? 'ERROR' : 'INFO',
      failed ? 'Failure' : 'Success',
      'Publish-In',
      {
        protocol: 'MQTT',
        topicName,
        ...client(d, s),
        reason: extra.reason,
        details: extra.details,
        retain: extra.retain ? 'True' : undefined,
      },
      { trace, problem }
    );
  };

  const sessionAt = (d: Device, t: number): Session | undefined => d.sessions.find((s) => s.start <= t && t < s.end);

  const publishOut = (t: number, d: Device, topicName: string, trace: string, problem = -1, shows = true) => {
    const s = sessionAt(d, t);
    if (s) {
      log(
        t,
        'INFO',
        'Success',
        'Publish-Out',
        { protocol: 'MQTT', topicName, ...client(d, s) },
        { trace, problem, shows }
      );
    }
  };

  // ---------------------------------------------------------------------------------------------
  // Problems: where they happen.

  const abs = (offset: number) => START + offset;
  const problemRng = problems.map((p, i) => makeRng(spec.seed, `problem:${i}:${p.kind}`));
  const waveDevices = new Map<number, Device[]>();
  const jobTargets = new Map<number, Device[]>();
  const failingRules = new Map<string, Array<{ from: number; to: number; problem: number }>>();
  const throttledRules = new Map<string, Array<{ from: number; to: number; problem: number }>>();
  /** Stretches of fleet-wide bursts of telemetry (throttledRule) with their rate factor. */
  const bursts: Array<{ from: number; to: number; factor: number }> = [];
  const reserved = new Set<Device>();

  problems.forEach((p, i) => {
    const rng = problemRng[i];
    switch (p.kind) {
      case 'storm': {
        const d = deviceOf(p.device);
        d.windows.push({ from: abs(p.from), to: abs(p.to), reason: p.reason ?? 'MQTT_KEEP_ALIVE_TIMEOUT', problem: i });
        d.quiet.push({ from: abs(p.from) - 15 * MINUTE, to: abs(p.to) + 15 * MINUTE });
        reserved.add(d);
        break;
      }
      case 'takeover': {
        const d = deviceOf(p.device);
        d.windows.push({ from: abs(p.from), to: abs(p.to), reason: 'DUPLICATE_CLIENTID', problem: i });
        d.quiet.push({ from: abs(p.from) - 15 * MINUTE, to: abs(p.to) + 15 * MINUTE });
        reserved.add(d);
        break;
      }
      case 'wave': {
        const n = Math.min(devices.length, p.devices ?? Math.ceil(devices.length * 0.6));
        const pool = [...devices];
        const chosen: Device[] = [];
        while (chosen.length < n) {
          chosen.push(pool.splice(rng.int(0, pool.length - 1), 1)[0]);
        }
        chosen.sort((a, b) => a.index - b.index);
        for (const d of chosen) {
          const from = abs(p.at) + rng.int(0, 20 * SECOND);
          d.windows.push({
            from,
            to: from + rng.int(8 * SECOND, 40 * SECOND),
            reason: rng.chance(0.8) ? 'CONNECTION_LOST' : 'MQTT_KEEP_ALIVE_TIMEOUT',
            problem: i,
          });
        }
        for (const d of devices) {
          d.quiet.push({ from: abs(p.at) - 15 * MINUTE, to: abs(p.at) + 15 * MINUTE });
        }
        waveDevices.set(i, chosen);
        break;
      }
      case 'silentDevice': {
        const d = deviceOf(p.device);
        if ((p.mode ?? 'disconnect') === 'disconnect') {
          d.windows.push({ from: abs(p.at), to: Infinity, reason: 'CONNECTION_LOST', problem: i });
        } else {
          d.silentFrom = abs(p.at);
        }
        d.quiet.push({ from: abs(p.at) - 30 * MINUTE, to: Infinity });
        reserved.add(d);
        break;
      }
      case 'authBurst':
      case 'limit':
      case 'outlier': {
        const d = deviceOf(p.device);
        d.quiet.push({ from: abs(p.from) - 10 * MINUTE, to: abs(p.to) + 10 * MINUTE });
        reserved.add(d);
        break;
      }
      case 'throttledRule': {
        if (!rules.has(p.rule)) {
          throw new Error(`throttledRule: no rule ${p.rule}`);
        }
        const list = throttledRules.get(p.rule) ?? [];
        list.push({ from: abs(p.from), to: abs(p.to), problem: i });
        throttledRules.set(p.rule, list);
        bursts.push({ from: abs(p.from) - 2 * MINUTE, to: abs(p.to) + 2 * MINUTE, factor: 5 });
        break;
      }
      case 'failingRule': {
        if ((p.mode ?? 'actionError') === 'actionError') {
          if (!rules.has(p.rule)) {
            throw new Error(`failingRule: no rule ${p.rule}`);
          }
          const list = failingRules.get(p.rule) ?? [];
          list.push({ from: abs(p.from), to: abs(p.to), problem: i });
          failingRules.set(p.rule, list);
        } else if (rules.has(p.rule)) {
          throw new Error(`failingRule (notFound): ${p.rule} is a rule of the fleet`);
        }
        break;
      }
      case 'failedJob': {
        const n = Math.min(p.targets ?? 6, devices.length);
        const pool = devices.filter((d) => !reserved.has(d));
        const chosen: Device[] = [];
        while (chosen.length < n && pool.length > 0) {
          chosen.push(pool.splice(rng.int(0, pool.length - 1), 1)[0]);
        }
        for (const d of chosen) {
          d.quiet.push({ from: abs(p.from) - 10 * MINUTE, to: abs(p.from) + 90 * MINUTE });
        }
        jobTargets.set(i, chosen);
        break;
      }
      case 'bruteForce':
        break;
    }
  });

  // Ordinary jobs: a few targets each, all succeed.
  const jobsRng = makeRng(spec.seed, 'jobs');
  const ordinaryJobs: Array<{ jobId: string; from: number; targets: Device[] }> = [];
  {
    const count = Math.floor(normal.jobsPerDay * days) + (jobsRng.chance((normal.jobsPerDay * days) % 1) ? 1 : 0);
    const free = devices.filter((d) => !reserved.has(d));
    for (let j = 0; j < count && free.length > 0 && spec.durationMs > 2 * HOUR; j++) {
      const from = START + 30 * MINUTE + jobsRng.next() * (spec.durationMs - 2 * HOUR);
      const n = Math.min(free.length, jobsRng.int(2, 5));
      const pool = [...free];
      const targets: Device[] = [];
      while (targets.length < n) {
        targets.push(pool.splice(jobsRng.int(0, pool.length - 1), 1)[0]);
      }
      for (const d of targets) {
        d.quiet.push({ from: from - 10 * MINUTE, to: from + 60 * MINUTE });
      }
      ordinaryJobs.push({ jobId: `config-${formatIotTimestamp(from).slice(0, 10)}-${pad(j + 1)}`, from, targets });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Ordinary drops.

  const dropsRng = makeRng(spec.seed, 'drops');
  const DROP_REASONS: ReadonlyArray<readonly [string, number]> = [
    ['CONNECTION_LOST', 45],
    ['MQTT_KEEP_ALIVE_TIMEOUT', 30],
    ['CLIENT_INITIATED_DISCONNECT', 15],
    ['SERVER_INITIATED_DISCONNECT', 10],
  ];
  const weighted = (rng: Rng) => {
    let r = rng.next() * 100;
    for (const [reason, w] of DROP_REASONS) {
      r -= w;
      if (r < 0) {
        return reason;
      }
    }
    return DROP_REASONS[0][0];
  };
  for (const d of devices) {
    const expected = normal.dropsPerDevicePerDay * days;
    const wanted = Math.floor(expected) + (dropsRng.chance(expected % 1) ? 1 : 0);
    let made = 0;
    for (let attempt = 0; attempt < 30 && made < wanted; attempt++) {
      const reason = weighted(dropsRng);
      const duration =
        reason === 'CONNECTION_LOST'
          ? dropsRng.int(10, 600) * SECOND
          : reason === 'SERVER_INITIATED_DISCONNECT'
            ? dropsRng.int(2, 10) * SECOND
            : dropsRng.int(15, 120) * SECOND;
      const from = START + 5 * MINUTE + dropsRng.next() * Math.max(0, spec.durationMs - 20 * MINUTE);
      const w = { from, to: from + duration };
      if (d.windows.some((x) => overlaps(x, w, 30 * MINUTE)) || d.quiet.some((x) => overlaps(x, w))) {
        continue;
      }
      d.windows.push({ from: Math.round(w.from), to: Math.round(w.to), reason, problem: -1 });
      made++;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sessions and their Connect / Disconnect.

  const sessionRng = makeRng(spec.seed, 'sessions');
  for (const d of devices) {
    d.windows.sort((a, b) => a.from - b.from);
    const open = (start: number, startProblem: number): Session => ({
      start,
      end: Infinity,
      ip: d.ip,
      port: ephemeralPort(sessionRng),
      trace: sessionRng.traceId(),
      startProblem,
    });
    let current: Session | undefined = open(START - sessionRng.int(1, 48) * HOUR, -1);
    for (const w of d.windows) {
      current.end = w.from;
      current.endWindow = w;
      d.sessions.push(current);
      if (w.to === Infinity) {
        current = undefined;
        break;
      }
      current = open(w.to, w.problem);
    }
    if (current) {
      d.sessions.push(current);
    }
  }

  const afterConnect = (d: Device, s: Session) => {
    let t = s.start + traffic.int(60, 400);
    for (const topic of [
      `cmd/${d.thing}/#`,
      `$aws/things/${d.thing}/shadow/update/delta`,
      `$aws/things/${d.thing}/jobs/notify-next`,
    ]) {
      subscribe(t, d, s, topic);
      t += traffic.int(5, 60);
    }
    t += traffic.int(100, 900);
    shadowRequest(t, d, s, 'get');
    t += traffic.int(200, 1500);
    jobRequest(t, d, s, 'GetPendingJobExecution', 'get', { details: SUCCESS });
  };

  // ---------------------------------------------------------------------------------------------
  // Rules, shadows, jobs.

  const inWindow = (list: Array<{ from: number; to: number; problem: number }> | undefined, t: number) =>
    list?.find((w) => w.from <= t && t <= w.to)?.problem ?? -1;

  /** The rules matching a message: throttled, or RuleMatch and its actions. */
  const runRules = (t: number, trace: string, d: Device, topicName: string, problem: number) => {
    for (const r of normal.rules) {
      if (!matchesTopic(filters.get(r.name)!, topicName)) {
        continue;
      }
      const who = { clientId: d.clientId, topicName, ruleName: r.name };
      let now = t + traffic.int(1, 6);
      const throttled = inWindow(throttledRules.get(r.name), now);
      if (throttled >= 0 && traffic.chance(0.5)) {
        log(
          now,
          'ERROR',
          'Failure',
          'RuleMessageThrottled',
          {
            ...who,
            principalId: d.principal,
            reason: 'RuleExecutionThrottled',
            details: `Message for Rule ${r.name} throttled`,
          },
          { trace, problem: throttled }
        );
        continue;
      }
      log(now, 'INFO', 'Success', 'RuleMatch', { ...who, principalId: d.principal }, { trace, problem });
      const failing = inWindow(failingRules.get(r.name), now);
      for (const a of r.actions) {
        now += traffic.int(0, 3);
        log(
          now,
          'DEBUG',
          'Success',
          'StartingRuleExecution',
          { ...who, ruleAction: a.ruleAction, principalId: d.principal },
          { trace, problem }
        );
        now += traffic.int(12, 140);
        const error =
          failing >= 0
            ? awsError(
                `User: arn:aws:sts::${account}:assumed-role/iot-rule-${r.name}/${traffic.hex(32)} is not authorized ` +
                  `to perform the ${a.ruleAction} action`,
                'AWSIoTRulesEngine',
                'AccessDeniedException',
                traffic.hex(8).toUpperCase() + traffic.hex(18).toUpperCase()
              )
            : undefined;
        log(
          now,
          error ? 'ERROR' : 'INFO',
          error ? 'Failure' : 'Success',
          'RuleExecution',
          { ...who, ruleAction: a.ruleAction, resources: a.resources, principalId: d.principal, details: error },
          { trace, problem: error ? failing : problem }
        );
      }
    }
  };

  /** A message from a device: Publish-In, then the rules. */
  const publish = (
    t: number,
    d: Device,
    topicName: string,
    options: { retain?: boolean; problem?: number } = {}
  ): boolean => {
    const s = sessionAt(d, t);
    if (!s || t >= d.silentFrom) {
      return false;
    }
    const trace = traffic.traceId();
    publishIn(t, d, s, topicName, trace, { retain: options.retain }, options.problem ?? -1);
    runRules(t, trace, d, topicName, options.problem ?? -1);
    return true;
  };

  /** A shadow request over MQTT: Publish-In, the shadow entry, the response to the device. */
  function shadowRequest(t: number, d: Device, s: Session, op: 'get' | 'update', failed = false) {
    const topicName = `$aws/things/${d.thing}/shadow/${op}`;
    const trace = traffic.traceId();
    publishIn(t, d, s, topicName, trace);
    const t1 = t + traffic.int(3, 30);
    log(
      t1,
      failed ? 'ERROR' : 'INFO',
      failed ? 'Failure' : 'Success',
      op === 'get' ? 'GetThingShadow' : 'UpdateThingShadow',
      { protocol: 'MQTT', deviceShadowName: d.thing, topicName },
      { trace }
    );
    publishOut(t1 + traffic.int(2, 15), d, `${topicName}/${failed ? 'rejected' : 'accepted'}`, trace);
  }

  /** A jobs request over MQTT: Publish-In, the jobs entry (no traceId), the response. Returns its time. */
  function jobRequest(
    t: number,
    d: Device,
    s: Session,
    eventType: string,
    rest: string,
    fields: { jobId?: string; versionNumber?: string; details: string },
    options: { failed?: boolean; problem?: number } = {}
  ): number {
    const topicName = `$aws/things/${d.thing}/jobs/${rest}`;
    const trace = traffic.traceId();
    publishIn(t, d, s, topicName, trace);
    const t1 = t + traffic.int(4, 25);
    log(
      t1,
      options.failed ? 'ERROR' : 'DEBUG',
      options.failed ? 'Failure' : 'Success',
      eventType,
      {
        protocol: 'MQTT',
        clientId: d.clientId,
        jobId: fields.jobId,
        topicName,
        clientToken: traffic.uuid(),
        versionNumber: fields.versionNumber,
        details: fields.details,
      },
      { trace: null, problem: options.problem ?? -1 }
    );
    publishOut(t1 + traffic.int(3, 20), d, `${topicName}/${options.failed ? 'rejected' : 'accepted'}`, trace);
    return t1;
  }

  type Outcome = 'SUCCEEDED' | 'FAILED' | 'REJECTED' | 'TIMED_OUT';
  /** A job run: each target is notified, starts, reports IN_PROGRESS, then its outcome; the final count. */
  const runJob = (jobId: string, from: number, targets: Device[], outcomes: Outcome[], rng: Rng, problem: number) => {
    const counts: Record<string, number> = {};
    let last = from;
    targets.forEach((d, i) => {
      const notify = from + i * rng.int(15, 45) * SECOND;
      const s = sessionAt(d, notify);
      if (!s) {
        return;
      }
      const outcome = outcomes[i] ?? 'SUCCEEDED';
      const bad = outcome !== 'SUCCEEDED' ? problem : -1;
      // the job's run belongs to the problem's span; only failures show it
      publishOut(notify, d, `$aws/things/${d.thing}/jobs/notify-next`, traffic.traceId(), problem, false);
      const startNext = jobRequest(notify + rng.int(300, 2500), d, s, 'StartNextPendingJobExecution', 'start-next', {
        details: SUCCESS,
      });
      const inProgress = jobRequest(startNext + rng.int(600, 1800), d, s, 'UpdateJobExecution', `${jobId}/update`, {
        jobId,
        versionNumber: '1',
        details: destination('IN_PROGRESS'),
      });
      let end: number;
      if (outcome === 'TIMED_OUT') {
        // The step timer (10 min) runs out; the device's late report is refused.
        const late = inProgress + 10 * MINUTE + rng.int(30, 300) * SECOND;
        end = jobRequest(
          late,
          d,
          sessionAt(d, late) ?? s,
          'UpdateJobExecution',
          `${jobId}/update`,
          { jobId, versionNumber: '2', details: 'The request status is TERMINAL_STATE_REACHED.' },
          { failed: true, problem: bad }
        );
      } else {
        const t = inProgress + rng.int(40, 240) * SECOND;
        end = jobRequest(
          t,
          d,
          sessionAt(d, t) ?? s,
          'UpdateJobExecution',
          `${jobId}/update`,
          { jobId, versionNumber: '2', details: destination(outcome) },
          { problem: bad }
        );
        counts[outcome] = (counts[outcome] ?? 0) + 1;
      }
      last = Math.max(last, end);
    });
    const failed = (counts.FAILED ?? 0) + (counts.REJECTED ?? 0) > 0;
    const tally = JOB_STATUSES.map((status) => `${status} job execution count: ${counts[status] ?? 0}`).join(' ');
    log(
      last + rng.int(30, 90) * SECOND,
      'INFO',
      'Success',
      'ReportFinalJobExecutionCount',
      { jobId, details: `Job ${jobId} completed. ${tally}` },
      { trace: null, problem: failed ? problem : -1 }
    );
  };

  // ---------------------------------------------------------------------------------------------
  // Ordinary traffic.

  for (const d of devices) {
    for (const s of d.sessions) {
      if (s.start >= START) {
        connect(s.start, d, s, s.startProblem);
        afterConnect(d, s);
      }
      if (s.endWindow) {
        disconnect(s.end, d, s, s.endWindow.reason, s.endWindow.problem);
      }
    }
  }

  for (const d of devices) {
    const period = normal.telemetryEveryMs;
    for (let t = START + traffic.int(0, period - 1); t < END; t += period) {
      const jitter = traffic.int(-period / 20, period / 20);
      const burst = bursts.find((b) => b.from <= t && t < b.to);
      if (burst) {
        // a burst: this period's messages come `factor` times as often
        for (let k = 0; k < burst.factor; k++) {
          publish(t + jitter + (k * period) / burst.factor, d, `dt/${d.thing}/telemetry`);
        }
      } else {
        publish(t + jitter, d, `dt/${d.thing}/telemetry`);
      }
    }
    if (normal.statusEveryMs > 0) {
      for (let t = START + traffic.int(0, normal.statusEveryMs - 1); t < END; t += normal.statusEveryMs) {
        publish(t + traffic.int(0, 999), d, `status/${d.thing}`, { retain: true });
      }
    }
    if (normal.shadowEveryMs > 0) {
      for (let t = START + traffic.int(0, normal.shadowEveryMs - 1); t < END; t += normal.shadowEveryMs) {
        const s = sessionAt(d, t);
        if (s && t < d.silentFrom) {
          shadowRequest(t, d, s, 'update');
        }
      }
    }
    const alarms = normal.alarmsPerDevicePerDay * days;
    const n = Math.floor(alarms) + (traffic.chance(alarms % 1) ? 1 : 0);
    for (let k = 0; k < n; k++) {
      publish(START + traffic.next() * spec.durationMs, d, `dt/${d.thing}/alarm`);
    }
  }

  for (const job of ordinaryJobs) {
    runJob(job.jobId, job.from, job.targets, [], jobsRng, -1);
  }

  // Harmless errors: a stale shadow version, a fleet indexing field of the wrong type.
  {
    const rng = makeRng(spec.seed, 'benign');
    const expected = normal.benignErrorsPerDay * days;
    const n = Math.floor(expected) + (rng.chance(expected % 1) ? 1 : 0);
    for (let k = 0; k < n; k++) {
      const d = rng.pick(devices);
      const t = START + rng.next() * spec.durationMs;
      const s = sessionAt(d, t);
      if (rng.chance(0.7) && s && t < d.silentFrom) {
        shadowRequest(t, d, s, 'update', true);
      } else {
        log(t, 'ERROR', 'SucceededWithIssues', 'IndexingCustomFieldFailed', {
          thingName: d.thing,
          failedCustomFields: [{ Name: 'attributes.installYear', Value: '2021-07', ExpectedType: 'Number' }],
        });
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The problems' own entries.

  const bruteForceIds = new Map<number, string[]>();
  problems.forEach((p, i) => {
    const rng = problemRng[i];
    switch (p.kind) {
      case 'storm': {
        const d = deviceOf(p.device);
        const reason = p.reason ?? 'MQTT_KEEP_ALIVE_TIMEOUT';
        let t = abs(p.from) + rng.int(2, 8) * SECOND;
        while (t < abs(p.to) - 10 * SECOND) {
          const s = { ip: d.ip, port: ephemeralPort(rng), trace: rng.traceId() };
          connect(t, d, s, i);
          const down = Math.min(t + rng.int(3, 15) * SECOND, abs(p.to) - 2 * SECOND);
          disconnect(down, d, s, reason, i);
          t = down + rng.int(2, 8) * SECOND;
        }
        break;
      }
      case 'takeover': {
        const d = deviceOf(p.device);
        const intruderIp = p.intruderIp ?? '192.0.2.199';
        const from = abs(p.from);
        const to = abs(p.to);
        // the intruder connects; the device's own connection is closed at `from` (its session's end)
        let intruder = { ip: intruderIp, port: ephemeralPort(rng), trace: rng.traceId() };
        connect(from - rng.int(8, 40), d, intruder, i);
        let t = from;
        while (t + 60 * SECOND < to) {
          t += rng.int(5, 30) * SECOND;
          const own = { ip: d.ip, port: ephemeralPort(rng), trace: rng.traceId() };
          connect(t, d, own, i);
          disconnect(t + rng.int(8, 40), d, intruder, 'DUPLICATE_CLIENTID', i);
          t += rng.int(5, 30) * SECOND;
          intruder = { ip: intruderIp, port: ephemeralPort(rng), trace: rng.traceId() };
          connect(t, d, intruder, i);
          disconnect(t + rng.int(8, 40), d, own, 'DUPLICATE_CLIENTID', i);
        }
        // the device's session after the window takes the client ID back
        disconnect(to + rng.int(8, 40), d, intruder, 'DUPLICATE_CLIENTID', i);
        break;
      }
      case 'bruteForce': {
        const principal = rng.hex(64);
        const guesses = [...things, 'test', 'admin', 'device', 'iot-client', 'gateway-01', 'esp32', 'mqtt-test'];
        for (let k = 0; k < 40; k++) {
          guesses.push(`${rng.pick(['sensor', 'node', 'dev', 'pump'])}-${rng.int(1, 999)}`);
        }
        const tried = new Set<string>();
        for (let t = abs(p.from); t < abs(p.to); t += rng.int(500, 4000)) {
          const clientId = rng.pick(guesses);
          tried.add(clientId);
          log(
            t,
            'ERROR',
            'Failure',
            'Connect',
            {
              protocol: 'MQTT',
              clientId,
              principalId: principal,
              sourceIp: p.sourceIp,
              sourcePort: ephemeralPort(rng),
              ...AUTHZ,
            },
            { trace: rng.traceId(), problem: i }
          );
        }
        bruteForceIds.set(i, [...tried].sort());
        break;
      }
      case 'authBurst': {
        const d = deviceOf(p.device);
        for (let t = abs(p.from); t < abs(p.to); t += rng.int(15, 90) * SECOND) {
          const s = sessionAt(d, t);
          if (!s) {
            continue;
          }
          if (rng.chance(0.6)) {
            publishIn(t, d, s, `dt/fleet/${d.thing}/diagnostics`, rng.traceId(), AUTHZ, i);
          } else {
            subscribe(t, d, s, 'cmd/#', AUTHZ, i);
          }
        }
        break;
      }
      case 'limit': {
        const d = deviceOf(p.device);
        for (let t = abs(p.from); t < abs(p.to); t += rng.int(60, 360) * SECOND) {
          const s = sessionAt(d, t);
          if (s) {
            publishIn(t, d, s, `dt/${d.thing}/batch`, rng.traceId(), PAYLOAD_TOO_LARGE, i);
          }
        }
        break;
      }
      case 'failingRule': {
        if ((p.mode ?? 'actionError') === 'notFound') {
          // devices on an old firmware publish to a Basic Ingest rule that was deleted
          const users = devices.filter((d) => !reserved.has(d)).slice(0, 3);
          for (let t = abs(p.from); t < abs(p.to); t += rng.int(60, 240) * SECOND) {
            const d = rng.pick(users);
            const s = sessionAt(d, t);
            if (!s) {
              continue;
            }
            const topicName = `$aws/rules/${p.rule}`;
            const trace = rng.traceId();
            publishIn(t, d, s, topicName, trace, {}, i);
            log(
              t + rng.int(1, 5),
              'ERROR',
              'Failure',
              'RuleNotFound',
              {
                clientId: d.clientId,
                topicName,
                ruleName: p.rule,
                principalId: d.principal,
                reason: 'RuleNotFound',
                details: `Rule ${p.rule} not found`,
              },
              { trace, problem: i }
            );
          }
        }
        break;
      }
      case 'outlier': {
        const d = deviceOf(p.device);
        const factor = p.factor ?? 10;
        const step = normal.telemetryEveryMs / factor;
        let k = 0;
        for (let t = abs(p.from); t < abs(p.to); t += step) {
          // the device's ordinary message is one of every `factor`
          if (k++ % factor !== 0) {
            publish(t + rng.int(-step / 10, step / 10), d, `dt/${d.thing}/telemetry`, { problem: i });
          }
        }
        break;
      }
      case 'failedJob':
        runJob(p.jobId, abs(p.from), jobTargets.get(i) ?? [], [...p.outcomes], rng, i);
        break;
      case 'wave':
      case 'throttledRule':
      case 'silentDevice':
        break;
    }
  });

  // ---------------------------------------------------------------------------------------------
  // The log level, time order, the truth.

  const minRank = LEVEL_RANK[spec.logLevel];
  const logged = pending.filter((p) => LEVEL_RANK[p.level] >= minRank);
  logged.sort((a, b) => a.t - b.t || a.seq - b.seq);
  const entries = logged.map((p) => JSON.stringify(p.entry));

  const truth: InjectedProblem[] = [];
  const hidden: InjectedProblem[] = [];
  problems.forEach((p, i) => {
    const all = pending.filter((e) => e.problem === i);
    const shown = logged.filter((e) => e.problem === i);
    let from = all.length > 0 ? Math.min(...all.map((e) => e.t)) : START;
    let to = all.length > 0 ? Math.max(...all.map((e) => e.t)) : START;
    let evidence = shown.filter((e) => e.shows).length;
    if (p.kind === 'silentDevice') {
      // what shows a silence: the device was heard before it
      from = abs(p.at);
      to = END;
      evidence = logged.filter(
        (e) => e.t < from && e.entry.clientId === p.device && e.entry.status === 'Success'
      ).length;
    }
    const problem = describe(p, { from, to, evidence, spec, waveDevices, jobTargets, bruteForceIds, index: i });
    (evidence > 0 && (all.length > 0 || p.kind === 'silentDevice') ? truth : hidden).push(problem);
  });

  return { entries, truth, hidden, things, start: START, end: END };
}

function describe(
  p: ProblemSpec,
  c: {
    from: number;
    to: number;
    evidence: number;
    spec: FleetSpec;
    index: number;
    waveDevices: Map<number, Array<{ thing: string }>>;
    jobTargets: Map<number, Array<{ thing: string }>>;
    bruteForceIds: Map<number, string[]>;
  }
): InjectedProblem {
  const at = { from: c.from, to: c.to, evidence: c.evidence };
  switch (p.kind) {
    case 'storm':
      return {
        kind: p.kind,
        subject: { type: 'device', id: p.device },
        ...at,
        description: `${p.device} reconnects every few seconds (${p.reason ?? 'MQTT_KEEP_ALIVE_TIMEOUT'})`,
      };
    case 'wave': {
      const devices = (c.waveDevices.get(c.index) ?? []).map((d) => d.thing);
      return {
        kind: p.kind,
        subject: { type: 'fleet', id: 'fleet' },
        ...at,
        devices,
        description: `${devices.length} devices lose their connection within 20 s and reconnect within a minute`,
      };
    }
    case 'takeover':
      return {
        kind: p.kind,
        subject: { type: 'device', id: p.device },
        ...at,
        description: `${p.device}'s client ID is used from ${p.intruderIp ?? '192.0.2.199'} too: DUPLICATE_CLIENT_ID in turns`,
      };
    case 'bruteForce': {
      const devices = c.bruteForceIds.get(c.index) ?? [];
      return {
        kind: p.kind,
        subject: { type: 'sourceIp', id: p.sourceIp },
        ...at,
        devices,
        description: `${p.sourceIp} tries ${devices.length} client IDs: Connect AUTHORIZATION_FAILURE`,
      };
    }
    case 'authBurst':
      return {
        kind: p.kind,
        subject: { type: 'device', id: p.device },
        ...at,
        description: `${p.device} publishes and subscribes outside its policy (AUTHORIZATION_FAILURE)`,
      };
    case 'throttledRule':
      return {
        kind: p.kind,
        subject: { type: 'rule', id: p.rule },
        ...at,
        description: `a burst of traffic: messages for ${p.rule} are throttled (RuleMessageThrottled)`,
      };
    case 'failingRule':
      return {
        kind: p.kind,
        subject: { type: 'rule', id: p.rule },
        ...at,
        description:
          (p.mode ?? 'actionError') === 'actionError'
            ? `every action of ${p.rule} fails (AccessDeniedException)`
            : `devices publish to $aws/rules/${p.rule}, which does not exist (RuleNotFound)`,
      };
    case 'limit':
      return {
        kind: p.kind,
        subject: { type: 'device', id: p.device },
        ...at,
        description: `${p.device} publishes messages over the 128 KB limit (Publish-In CLIENT_ERROR)`,
      };
    case 'failedJob': {
      const targets = c.jobTargets.get(c.index) ?? [];
      const devices = targets.slice(0, p.outcomes.length).map((d) => d.thing);
      return {
        kind: p.kind,
        subject: { type: 'job', id: p.jobId },
        ...at,
        devices,
        description: `job ${p.jobId} on ${targets.length} devices: ${p.outcomes.join(', ')} on ${devices.join(', ')}`,
      };
    }
    case 'silentDevice':
      return {
        kind: p.kind,
        subject: { type: 'device', id: p.device },
        ...at,
        description: `${p.device} ${(p.mode ?? 'disconnect') === 'disconnect' ? 'drops its connection' : 'stays connected'} and sends nothing more`,
      };
    case 'outlier':
      return {
        kind: p.kind,
        subject: { type: 'device', id: p.device },
        ...at,
        description: `${p.device} publishes telemetry ${p.factor ?? 10}× as often as the fleet`,
      };
  }
}

/** The entries as one text, one per line (what parseTables and a file take). */
export function fleetText(fleet: GeneratedFleet): string {
  return fleet.entries.length === 0 ? '' : `${fleet.entries.join('\n')}\n`;
}

/** The level an entry must have at least to be logged at a logging level. */
export function isLoggedAt(entryLevel: string, setting: LogLevelSetting): boolean {
  return (LEVEL_RANK[entryLevel] ?? 0) >= LEVEL_RANK[setting];
}
