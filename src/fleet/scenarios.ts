/**
 * Named fleets with known problems (and known quiet ones), and the scorer that compares a detector's
 * findings with their truth.
 *
 * Every scenario is the same small fleet (20 things `sensor-001`…`sensor-020`, 6 hours from
 * 2024-05-06 00:00 UTC, telemetry every 5 minutes through three rules, hourly retained status, shadow
 * reports, ordinary drops, a few successful jobs and harmless errors) with its own seed and problems.
 *
 * THE MATCHING RULE (scoreFindings): a finding matches an injected problem when
 * 1. its kind is the problem's kind (detectors report the kinds of ProblemKind),
 * 2. its subject is the problem's subject (same type and same id, compared exactly), and
 * 3. its time [first, last] overlaps the problem's [from, to] widened by `toleranceMs` on both sides
 *    (first <= to + tolerance and last >= from - tolerance).
 * Recall = problems matched by at least one finding / problems (1 when there are none).
 * Precision = findings that match some problem / findings (1 when there are none).
 * A second finding matching an already matched problem counts as correct for precision and is listed
 * in `duplicates` (a detector that splits one storm into pieces shows there).
 */
import { generateFleet } from './generate';
import { HOUR, MINUTE, type FleetSpec, type GeneratedFleet, type InjectedProblem, type Subject } from './types';

export interface Scenario {
  name: string;
  description: string;
  spec: FleetSpec;
}

const START = '2024-05-06T00:00:00Z';

function fleet(
  seed: number,
  problems: FleetSpec['problems'] = [],
  logLevel: FleetSpec['logLevel'] = 'INFO'
): FleetSpec {
  return { seed, start: START, durationMs: 6 * HOUR, devices: 20, logLevel, problems };
}

const MIXED: FleetSpec['problems'] = [
  { kind: 'storm', device: 'sensor-004', from: 60 * MINUTE, to: 70 * MINUTE },
  {
    kind: 'failedJob',
    jobId: 'fw-update-2024-05-06',
    from: 90 * MINUTE,
    targets: 8,
    outcomes: ['FAILED', 'TIMED_OUT'],
  },
  { kind: 'takeover', device: 'sensor-007', from: 2 * HOUR, to: 2 * HOUR + 15 * MINUTE },
  { kind: 'bruteForce', sourceIp: '203.0.113.250', from: 3 * HOUR, to: 3 * HOUR + 20 * MINUTE },
  { kind: 'silentDevice', device: 'sensor-019', at: 3 * HOUR + 30 * MINUTE },
  { kind: 'throttledRule', rule: 'TelemetryToTimestream', from: 4 * HOUR, to: 4 * HOUR + 10 * MINUTE },
  { kind: 'outlier', device: 'sensor-002', from: 4 * HOUR, to: 5 * HOUR + 30 * MINUTE },
  { kind: 'failingRule', rule: 'StatusToDynamoDB', from: 4 * HOUR + 30 * MINUTE, to: 5 * HOUR + 45 * MINUTE },
];

export const SCENARIOS: readonly Scenario[] = [
  { name: 'quiet', description: 'A healthy fleet, logging at INFO: no problem.', spec: fleet(101) },
  {
    name: 'quietErrorOnly',
    description: 'A healthy fleet logging at ERROR: only harmless errors (stale shadow versions, indexing).',
    spec: fleet(102, [], 'ERROR'),
  },
  {
    name: 'quietDay',
    description: 'A healthy fleet of 40 things for a whole day, logging at INFO: no problem.',
    spec: { ...fleet(103), devices: 40, durationMs: 24 * HOUR },
  },
  {
    name: 'storm',
    description: 'sensor-004 reconnects every few seconds (MQTT_KEEP_ALIVE_TIMEOUT), 02:00–02:10.',
    spec: fleet(201, [{ kind: 'storm', device: 'sensor-004', from: 2 * HOUR, to: 2 * HOUR + 10 * MINUTE }]),
  },
  {
    name: 'wave',
    description: '12 of 20 devices lose their connection at 03:00 and are back within a minute.',
    spec: fleet(202, [{ kind: 'wave', at: 3 * HOUR, devices: 12 }]),
  },
  {
    name: 'takeover',
    description: "sensor-007's client ID is also used from 192.0.2.199, 01:30–01:50 (DUPLICATE_CLIENT_ID in turns).",
    spec: fleet(203, [{ kind: 'takeover', device: 'sensor-007', from: 90 * MINUTE, to: 110 * MINUTE }]),
  },
  {
    name: 'bruteForce',
    description: '203.0.113.250 tries many client IDs, 04:00–04:20 (Connect AUTHORIZATION_FAILURE).',
    spec: fleet(204, [{ kind: 'bruteForce', sourceIp: '203.0.113.250', from: 4 * HOUR, to: 4 * HOUR + 20 * MINUTE }]),
  },
  {
    name: 'authBurst',
    description: 'sensor-011 publishes and subscribes outside its policy, 02:30–03:00.',
    spec: fleet(205, [{ kind: 'authBurst', device: 'sensor-011', from: 150 * MINUTE, to: 3 * HOUR }]),
  },
  {
    name: 'throttledRule',
    description: 'A fleet-wide burst, 03:30–03:40: TelemetryToTimestream is throttled (RuleMessageThrottled).',
    spec: fleet(206, [{ kind: 'throttledRule', rule: 'TelemetryToTimestream', from: 210 * MINUTE, to: 220 * MINUTE }]),
  },
  {
    name: 'failingRule',
    description: "StatusToDynamoDB's action fails (AccessDeniedException), 01:00–03:00.",
    spec: fleet(207, [{ kind: 'failingRule', rule: 'StatusToDynamoDB', from: HOUR, to: 3 * HOUR }]),
  },
  {
    name: 'ruleNotFound',
    description: 'Three devices publish to $aws/rules/DeviceOnboarding, which does not exist, 00:30–02:30.',
    spec: fleet(208, [
      { kind: 'failingRule', rule: 'DeviceOnboarding', mode: 'notFound', from: 30 * MINUTE, to: 150 * MINUTE },
    ]),
  },
  {
    name: 'limit',
    description: 'sensor-015 publishes messages over 128 KB, 04:00–05:00 (Publish-In CLIENT_ERROR).',
    spec: fleet(209, [{ kind: 'limit', device: 'sensor-015', from: 4 * HOUR, to: 5 * HOUR }]),
  },
  {
    name: 'failedJob',
    description: 'Job fw-update-2024-05-06 at 02:00 on 8 devices: 2 FAILED, 1 REJECTED, 1 TIMED_OUT.',
    spec: fleet(210, [
      {
        kind: 'failedJob',
        jobId: 'fw-update-2024-05-06',
        from: 2 * HOUR,
        targets: 8,
        outcomes: ['FAILED', 'FAILED', 'REJECTED', 'TIMED_OUT'],
      },
    ]),
  },
  {
    name: 'silentDevice',
    description: 'sensor-019 drops its connection at 02:00 and is not heard from again.',
    spec: fleet(211, [{ kind: 'silentDevice', device: 'sensor-019', at: 2 * HOUR }]),
  },
  {
    name: 'silentConnected',
    description: 'sensor-018 stays connected but sends nothing from 03:00.',
    spec: fleet(212, [{ kind: 'silentDevice', device: 'sensor-018', at: 3 * HOUR, mode: 'quiet' }]),
  },
  {
    name: 'outlier',
    description: 'sensor-002 publishes telemetry 10× as often as the fleet, 01:00–04:00.',
    spec: fleet(213, [{ kind: 'outlier', device: 'sensor-002', from: HOUR, to: 4 * HOUR }]),
  },
  {
    name: 'mixed',
    description:
      'Eight problems in one fleet at INFO: storm, failed job, takeover, brute force, silent device, ' +
      'throttled rule, outlier, failing rule.',
    spec: fleet(301, MIXED),
  },
  {
    name: 'mixedErrorOnly',
    description:
      'The mixed problems at ERROR level: the storm, the outlier, the silence and the failed executions ' +
      '(DEBUG/INFO entries) are hidden; the truth holds what ERROR entries show.',
    spec: fleet(301, MIXED, 'ERROR'),
  },
];

export function scenario(name: string): Scenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) {
    throw new Error(`No scenario ${name}; there are ${SCENARIOS.map((x) => x.name).join(', ')}`);
  }
  return s;
}

/** A scenario's fleet (generated each call: the same entries and truth every time). */
export function generateScenario(name: string): GeneratedFleet {
  return generateFleet(scenario(name).spec);
}

/** What a detector reports, as the scorer reads it. */
export interface Finding {
  kind: string;
  subject: Subject;
  /** Epoch ms of the first and last entry the finding rests on. */
  first: number;
  last: number;
}

export interface Score<F extends Finding = Finding> {
  precision: number;
  recall: number;
  /** Each matched problem with the first finding that matched it. */
  matched: Array<{ truth: InjectedProblem; finding: F }>;
  /** Further findings of an already matched problem. */
  duplicates: Array<{ truth: InjectedProblem; finding: F }>;
  /** Problems no finding matched. */
  missed: InjectedProblem[];
  /** Findings that match no problem. */
  spurious: F[];
}

/** Whether a finding matches a problem (the matching rule at the top of this file). */
export function findingMatches(truth: InjectedProblem, finding: Finding, toleranceMs: number): boolean {
  return (
    finding.kind === truth.kind &&
    finding.subject.type === truth.subject.type &&
    finding.subject.id === truth.subject.id &&
    finding.first <= truth.to + toleranceMs &&
    finding.last >= truth.from - toleranceMs
  );
}

/** Scores findings against the truth (see THE MATCHING RULE above). */
export function scoreFindings<F extends Finding>(
  truth: readonly InjectedProblem[],
  found: readonly F[],
  toleranceMs: number
): Score<F> {
  const matched: Score<F>['matched'] = [];
  const duplicates: Score<F>['duplicates'] = [];
  const spurious: F[] = [];
  const matchedTruth = new Set<InjectedProblem>();
  for (const finding of found) {
    // prefer a problem not matched yet, so that two findings of two problems of one kind both count
    const candidates = truth.filter((t) => findingMatches(t, finding, toleranceMs));
    const fresh = candidates.find((t) => !matchedTruth.has(t));
    if (fresh) {
      matchedTruth.add(fresh);
      matched.push({ truth: fresh, finding });
    } else if (candidates.length > 0) {
      duplicates.push({ truth: candidates[0], finding });
    } else {
      spurious.push(finding);
    }
  }
  const missed = truth.filter((t) => !matchedTruth.has(t));
  const correct = found.length - spurious.length;
  return {
    precision: found.length === 0 ? 1 : correct / found.length,
    recall: truth.length === 0 ? 1 : matchedTruth.size / truth.length,
    matched,
    duplicates,
    missed,
    spurious,
  };
}

/** Precision and recall over several scenarios: every scenario's findings and problems pooled. */
export function poolScores(scores: ReadonlyArray<Score<Finding>>): { precision: number; recall: number } {
  let findings = 0;
  let correct = 0;
  let problems = 0;
  let found = 0;
  for (const s of scores) {
    const n = s.matched.length + s.duplicates.length + s.spurious.length;
    findings += n;
    correct += n - s.spurious.length;
    problems += s.matched.length + s.missed.length;
    found += s.matched.length;
  }
  return {
    precision: findings === 0 ? 1 : correct / findings,
    recall: problems === 0 ? 1 : found / problems,
  };
}
