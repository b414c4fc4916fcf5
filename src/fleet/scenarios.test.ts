import {
  findingMatches,
  generateScenario,
  poolScores,
  scenario,
  SCENARIOS,
  scoreFindings,
  type Finding,
} from './scenarios';
import { MINUTE, PROBLEM_KINDS, type InjectedProblem } from './types';

const T0 = Date.UTC(2024, 4, 6);
const min = (m: number) => T0 + m * MINUTE;

const storm: InjectedProblem = {
  kind: 'storm',
  subject: { type: 'device', id: 'sensor-004' },
  from: min(60),
  to: min(70),
  evidence: 40,
  description: 'storm',
};
const brute: InjectedProblem = {
  kind: 'bruteForce',
  subject: { type: 'sourceIp', id: '203.0.113.250' },
  from: min(180),
  to: min(200),
  evidence: 500,
  description: 'brute force',
};
const laterStorm: InjectedProblem = { ...storm, from: min(300), to: min(305) };

const finding = (p: InjectedProblem, first = p.from, last = p.to): Finding => ({
  kind: p.kind,
  subject: { ...p.subject },
  first,
  last,
});

describe('scoreFindings', () => {
  it('scores findings that are the truth as perfect', () => {
    const score = scoreFindings([storm, brute], [finding(storm), finding(brute)], 0);
    expect(score).toMatchObject({ precision: 1, recall: 1, missed: [], spurious: [], duplicates: [] });
    expect(score.matched.map((m) => m.truth)).toEqual([storm, brute]);
  });

  it('needs the same kind, subject type and subject id', () => {
    const wrongKind = { ...finding(storm), kind: 'takeover' };
    const wrongId = { ...finding(storm), subject: { type: 'device' as const, id: 'sensor-005' } };
    const wrongType = { ...finding(brute), subject: { type: 'device' as const, id: '203.0.113.250' } };
    const score = scoreFindings([storm, brute], [wrongKind, wrongId, wrongType], MINUTE);
    expect(score).toMatchObject({ precision: 0, recall: 0, matched: [] });
    expect(score.missed).toEqual([storm, brute]);
    expect(score.spurious).toEqual([wrongKind, wrongId, wrongType]);
  });

  it('needs the times to overlap within the tolerance, on both sides', () => {
    const tol = 2 * MINUTE;
    expect(findingMatches(storm, finding(storm, min(50), storm.from - tol), tol)).toBe(true);
    expect(findingMatches(storm, finding(storm, min(50), storm.from - tol - 1), tol)).toBe(false);
    expect(findingMatches(storm, finding(storm, storm.to + tol, min(90)), tol)).toBe(true);
    expect(findingMatches(storm, finding(storm, storm.to + tol + 1, min(90)), tol)).toBe(false);
    // a finding inside the window, or covering it, matches
    expect(findingMatches(storm, finding(storm, min(65), min(65)), 0)).toBe(true);
    expect(findingMatches(storm, finding(storm, min(0), min(400)), 0)).toBe(true);
  });

  it('counts a second finding of one problem as a duplicate, not as spurious', () => {
    const score = scoreFindings([storm], [finding(storm, min(60), min(64)), finding(storm, min(66), min(70))], 0);
    expect(score).toMatchObject({ precision: 1, recall: 1, spurious: [], missed: [] });
    expect(score.duplicates).toHaveLength(1);
  });

  it('matches two problems of one kind and subject at two times with two findings', () => {
    const score = scoreFindings([storm, laterStorm], [finding(storm, min(0), min(400)), finding(laterStorm)], 0);
    expect(score).toMatchObject({ precision: 1, recall: 1, duplicates: [] });
    expect(score.matched.map((m) => m.truth)).toEqual([storm, laterStorm]);
  });

  it('gives partial precision and recall', () => {
    const spurious: Finding = { kind: 'outlier', subject: { type: 'device', id: 'sensor-009' }, first: 0, last: 1 };
    const score = scoreFindings([storm, brute], [finding(storm), spurious], MINUTE);
    expect(score.precision).toBe(0.5);
    expect(score.recall).toBe(0.5);
    expect(score.missed).toEqual([brute]);
    expect(score.spurious).toEqual([spurious]);
  });

  it('scores a quiet fleet: no finding is perfect, any finding is spurious', () => {
    expect(scoreFindings([], [], 0)).toMatchObject({ precision: 1, recall: 1 });
    expect(scoreFindings([], [finding(storm)], 0)).toMatchObject({ precision: 0, recall: 1 });
    expect(scoreFindings([storm], [], 0)).toMatchObject({ precision: 1, recall: 0, missed: [storm] });
  });

  it('pools scores over scenarios', () => {
    const a = scoreFindings([storm, brute], [finding(storm)], 0);
    const b = scoreFindings([], [finding(storm)], 0);
    expect(poolScores([a, b])).toEqual({ precision: 0.5, recall: 0.5 });
    expect(poolScores([])).toEqual({ precision: 1, recall: 1 });
  });
});

describe('SCENARIOS', () => {
  it('has unique names, the quiet ones, one per problem kind and the mixed ones', () => {
    const names = SCENARIOS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['quiet', 'quietErrorOnly', 'mixed', 'mixedErrorOnly']));
    for (const kind of PROBLEM_KINDS) {
      const single = SCENARIOS.filter((s) => s.spec.problems?.length === 1 && s.spec.problems[0].kind === kind);
      expect({ kind, scenarios: single.length > 0 }).toEqual({ kind, scenarios: true });
    }
    expect(() => scenario('nope')).toThrow(/quiet/);
  });

  it.each(SCENARIOS.map((s) => s.name))('%s: its truth, given as findings, scores perfectly', (name) => {
    const fleet = generateScenario(name);
    const spec = scenario(name).spec;
    expect(fleet.truth.length + fleet.hidden.length).toBe(spec.problems?.length ?? 0);
    const score = scoreFindings(
      fleet.truth,
      fleet.truth.map((p) => finding(p)),
      0
    );
    expect(score).toMatchObject({ precision: 1, recall: 1 });
    // single-problem scenarios are all at INFO: nothing hidden
    if (spec.problems?.length === 1) {
      expect(fleet.truth).toHaveLength(1);
      expect(fleet.truth[0].kind).toBe(spec.problems[0].kind);
    }
  });
});
