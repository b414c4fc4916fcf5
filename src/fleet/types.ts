/**
 * The fleet generator's model: what a fleet does normally (FleetSpec, NormalBehaviour), the problems a
 * scenario injects (ProblemSpec) and the ground truth a detector is scored against (InjectedProblem).
 *
 * Times in a spec's problems are offsets in milliseconds from the spec's start (`from: 90 * MINUTE`);
 * times in the truth are absolute (epoch ms, UTC), as detectors report them.
 */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The account's logging level: entries below it are not logged (ERROR logs only ERROR entries). */
export type LogLevelSetting = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export const PROBLEM_KINDS = [
  'storm',
  'wave',
  'takeover',
  'bruteForce',
  'authBurst',
  'throttledRule',
  'failingRule',
  'limit',
  'failedJob',
  'silentDevice',
  'outlier',
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export type SubjectType = 'device' | 'sourceIp' | 'rule' | 'job' | 'topic' | 'fleet';

/** What a problem (or a finding) is about: a thing name, a source IP, a rule name, a job ID… */
export interface Subject {
  type: SubjectType;
  /** The id; `fleet` for fleet-wide problems. */
  id: string;
}

/** A rule of the account: its SQL's topic filter and its actions. */
export interface RuleSpec {
  name: string;
  /** MQTT topic filter of the rule's `FROM` clause. */
  topicFilter: string;
  actions: ReadonlyArray<{ ruleAction: string; resources?: Readonly<Record<string, string>> }>;
}

/** What every device does when nothing is wrong. */
export interface NormalBehaviour {
  /** Each device publishes `dt/<thing>/telemetry` this often (±5 % jitter). */
  telemetryEveryMs: number;
  /** Each device publishes a retained `status/<thing>` this often; 0: never. */
  statusEveryMs: number;
  /** Each device reports its classic shadow this often; 0: never. */
  shadowEveryMs: number;
  /** Alarms (`dt/<thing>/alarm`) per device per day, at random times. */
  alarmsPerDevicePerDay: number;
  /** Ordinary connection drops (lost connection, keep-alive timeout, client restart) per device per day. */
  dropsPerDevicePerDay: number;
  /** Jobs that succeed on every target, per day. */
  jobsPerDay: number;
  /**
   * Harmless errors per day: a shadow update with a stale version (UpdateThingShadow Failure) or a
   * fleet indexing custom field of the wrong type (IndexingCustomFieldFailed). None of the problem kinds.
   */
  benignErrorsPerDay: number;
  rules: readonly RuleSpec[];
}

/** A stretch of the spec's time, in ms from its start. */
export interface Span {
  from: number;
  to: number;
}

export type ProblemSpec =
  /** One device reconnects every few seconds (its connection drops with `reason`). */
  | (Span & { kind: 'storm'; device: string; reason?: 'MQTT_KEEP_ALIVE_TIMEOUT' | 'CONNECTION_LOST' })
  /** `devices` devices (default: 60 % of the fleet) lose their connection within 20 s of `at` and are back within a minute. */
  | { kind: 'wave'; at: number; devices?: number }
  /** A second source IP uses the device's client ID (a copied certificate): the two take the connection in turns. */
  | (Span & { kind: 'takeover'; device: string; intruderIp?: string })
  /** One source IP tries many client IDs with one certificate: Connect AUTHORIZATION_FAILURE. */
  | (Span & { kind: 'bruteForce'; sourceIp: string })
  /** One device publishes and subscribes outside its policy: Publish-In / Subscribe AUTHORIZATION_FAILURE. */
  | (Span & { kind: 'authBurst'; device: string })
  /** A burst of fleet traffic: about half the messages for the rule are throttled (RuleMessageThrottled). */
  | (Span & { kind: 'throttledRule'; rule: string })
  /**
   * `actionError` (default): every RuleExecution of an existing rule fails (the action's role lost its
   * permission). `notFound`: some devices publish to `$aws/rules/<rule>` of a rule that does not exist.
   */
  | (Span & { kind: 'failingRule'; rule: string; mode?: 'actionError' | 'notFound' })
  /** One device publishes messages over the size limit: Publish-In CLIENT_ERROR. */
  | (Span & { kind: 'limit'; device: string })
  /**
   * A job starting at `from` on `targets` devices (default 6): the first outcomes.length targets end with
   * those outcomes, the others succeed. A TIMED_OUT execution's late update is refused (ERROR).
   */
  | {
      kind: 'failedJob';
      jobId: string;
      from: number;
      targets?: number;
      outcomes: ReadonlyArray<'FAILED' | 'REJECTED' | 'TIMED_OUT'>;
    }
  /** From `at` the device sends nothing: it drops its connection (default) or stays connected, silent. */
  | { kind: 'silentDevice'; device: string; at: number; mode?: 'disconnect' | 'quiet' }
  /** One device publishes telemetry `factor` (default 10) times as often as the fleet. */
  | (Span & { kind: 'outlier'; device: string; factor?: number });

export interface FleetSpec {
  seed: number;
  /** ISO 8601 time or epoch ms (UTC). */
  start: string | number;
  durationMs: number;
  /** Number of devices (things); client ID = thing name. */
  devices: number;
  /** Thing names are `<prefix>-001`, `<prefix>-002`… (default `sensor`), unless `thingNames` gives them. */
  thingPrefix?: string;
  thingNames?: readonly string[];
  accountId?: string;
  logLevel: LogLevelSetting;
  normal?: Partial<NormalBehaviour>;
  problems?: readonly ProblemSpec[];
}

/** The ground truth of one injected problem: what a detector must report, about what, and when. */
export interface InjectedProblem {
  kind: ProblemKind;
  subject: Subject;
  /** Epoch ms (UTC): the first and last entry the problem produced (silentDevice: `at` and the fleet's end). */
  from: number;
  to: number;
  /** The devices involved besides the subject (wave: who dropped; bruteForce: client IDs tried; failedJob: failing targets). */
  devices?: string[];
  /** Logged entries (at the spec's log level) that show the problem. */
  evidence: number;
  /** The problem in words. */
  description: string;
}

export interface GeneratedFleet {
  /** One AWS IoT V2 log entry (compact JSON) per line, in time order. */
  entries: string[];
  /** Problems that left evidence in the entries. */
  truth: InjectedProblem[];
  /** Injected problems the log level hides (no entry shows them): no detector can be asked to find them. */
  hidden: InjectedProblem[];
  /** The fleet's things, in order. */
  things: string[];
  /** Epoch ms of the fleet's start and end (entries are in [start, end)). */
  start: number;
  end: number;
}
