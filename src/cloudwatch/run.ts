/**
 * Runs the CloudWatch-source queries of a request: each query becomes one Logs Insights query (written
 * from its filters by insights.ts, or the user's edited text), all of them go to the CloudWatch data
 * source in one delegated call (delegate.ts), and every answer, partial or final, is shaped:
 * - entries (logs, table, sessions, behaviour, findings): the `@message` of each row is handed to the
 *   same parser as files (messages.ts) and the query runs on them as on a file (its own filters apply
 *   again: those Logs Insights could not express take effect here);
 * - time series and counts run as `stats` in AWS and are shaped like the same outputs on files
 *   (statsFrames.ts); a split or filter AWS cannot count as the plugin does makes them run on entries.
 * Notices say what ran after parsing, when the 10,000-row cap was hit and what AWS's status was.
 */
import {
  LoadingState,
  type DataFrame,
  type DataQueryRequest,
  type QueryResultMetaNotice,
  type ScopedVars,
} from '@grafana/data';
import { concat, defer, from, map, Observable, of, switchMap } from 'rxjs';

import { isLogVolumeQuery, logVolumeFrames } from '../explore/logVolume';
import { parseInterval, planBuckets, type Buckets } from '../output/interval';
import type { OutputRange } from '../output/types';
import { componentOfEventType } from '../parsing/schema/registry';
import { withDataLinks, type LinkTarget } from '../query/dataLinks';
import type { ResolvedFieldFilter, RowFilter } from '../query/filter';
import { interpolateOutput, rowFilterOf, type Replace } from '../query/interpolate';
import type { RunReport } from '../query/runReport';
import type { LoadedInput } from '../sources';
import type { IotLogsQuery } from '../types';
import { delegate, type CloudWatchApi, type DelegatedResponse, type DelegatedResult } from './delegate';
import { entriesQuery, groupsCondition, statsQuery } from './insights';
import { messagesOf } from './messages';
import { rankedGroups, statsFrames, type StatsShape } from './statsFrames';
import { insightsTarget } from './target';
import { INSIGHTS_ROW_CAP, type CloudWatchSettings, type InsightsQuery } from './types';

/** How one query runs on CloudWatch. */
export interface CloudWatchPlan {
  query: IotLogsQuery;
  /** `stats`: shaped from AWS's counts; `entries`: parsed and run as a file. */
  kind: 'entries' | 'stats';
  insights: InsightsQuery;
  /** The user edited the Logs Insights query. */
  edited: boolean;
  /** Why a time series or counts query reads entries instead of running as stats. */
  statsFallback?: string;
  /** stats: how to read the answer. */
  shape?: StatsShape;
  /**
   * A time series split by fields, in two steps: first `ranking` (the same stats without bin, every
   * group, largest first), then `next` the binned stats of the top groups and, when the limit leaves
   * groups out, of all the others together; so that the 10,000-row cap is met by `limit` × intervals,
   * not by every group × intervals. `next` is undefined when a group's values cannot be written.
   */
  steps?: {
    ranking: InsightsQuery;
    next(top: readonly unknown[][], others: boolean): { top: InsightsQuery; other?: InsightsQuery } | undefined;
  };
}

/** Fields of few values, and how many at most (AWS writes three statuses, four log levels). */
const FEW_VALUES: Readonly<Record<string, number>> = { status: 3, logLevel: 4 };

/** Longest condition on groups written into a query (Logs Insights takes queries up to 10,000 characters). */
const MAX_GROUPS_CONDITION = 6000;

const STATS_OUTPUTS = new Set(['timeseries', 'counts']);

/**
 * The plan of a query: its Logs Insights query from its filters (with the ad hoc filters) and output.
 * Pure; throws FilterError/OutputError as the file path would for filters or options that cannot run.
 */
export function planCloudWatch(
  query: IotLogsQuery,
  replace: Replace,
  scopedVars: ScopedVars | undefined,
  range: OutputRange,
  adhoc: readonly ResolvedFieldFilter[] = []
): CloudWatchPlan {
  const own = rowFilterOf(query, replace, scopedVars, range);
  const filter: RowFilter = adhoc.length > 0 ? { ...own, fieldFilters: [...own.fieldFilters, ...adhoc] } : own;
  const source = query.source.type === 'cloudwatch' ? query.source : undefined;
  if (source?.expression !== undefined) {
    if (source.expression.trim() === '') {
      throw new Error('The Logs Insights query is empty: write one, or use the written query.');
    }
    const expression = replace(source.expression, scopedVars);
    const groups = STATS_OUTPUTS.has(query.output) ? editedStatsGroups(expression) : undefined;
    if (groups !== undefined) {
      // An edited stats query (started from the written one): shaped as the output, its `by` fields
      // standing for the query's Group by in order.
      const { buckets } = statsPlanOf(query, replace, scopedVars, range);
      return {
        query,
        kind: 'stats',
        edited: true,
        insights: { kind: 'stats', expression, statsGroups: groups, pushedDown: [], afterParse: [] },
        shape: {
          statsGroups: groups,
          ...(buckets ? { buckets } : {}),
          groupFields: groups.filter((g) => !/^bin\(/i.test(g)),
          valueField: 'count',
        },
      };
    }
    return {
      query,
      kind: 'entries',
      edited: true,
      insights: {
        kind: 'entries',
        expression,
        statsGroups: [],
        pushedDown: [],
        afterParse: ['every filter of this query (the Logs Insights query is the one you wrote)'],
      },
    };
  }
  const entries = (): InsightsQuery => entriesQuery(filter, { limit: INSIGHTS_ROW_CAP });
  // Explore's log volume (a time series by logLevel) counts in AWS too: shaped by level after.
  if (!STATS_OUTPUTS.has(query.output)) {
    return { query, kind: 'entries', edited: false, insights: entries() };
  }
  const { options, output, buckets } = statsPlanOf(query, replace, scopedVars, range);
  const groupBy = options.groupBy.length > 0 ? options.groupBy : output === 'counts' ? ['eventType'] : [];
  const stats = statsQuery(filter, {
    output,
    groupBy,
    metric: options.metric,
    metricField: options.metricField,
    intervalMs: buckets?.interval,
    // counts: when there are more groups than the row cap, the cap keeps the largest
    largestFirst: output === 'counts' && groupBy.length > 0,
  });
  if (stats.afterParse.length > 0) {
    return {
      query,
      kind: 'entries',
      edited: false,
      insights: entries(),
      statsFallback: `counted after parsing the entries, because Logs Insights cannot count it as this plugin does: ${stats.afterParse.join('; ')}`,
    };
  }
  const groupFields = groupBy.map((name) => (name === 'component' ? 'eventType' : name === 'body' ? '@message' : name));
  const base = { groupBy, metric: options.metric, metricField: options.metricField } as const;
  // Splits of few values (status, logLevel) fit the cap in one step.
  const fewGroups = groupBy.reduce((n, name) => n * (FEW_VALUES[name] ?? Infinity), 1);
  const oneStep = buckets !== undefined && fewGroups * buckets.count <= INSIGHTS_ROW_CAP;
  const steps: CloudWatchPlan['steps'] =
    output === 'timeseries' && !oneStep && groupBy.length > 0 && groupFields.every((f, i) => f === groupBy[i])
      ? {
          ranking: statsQuery(filter, { ...base, output: 'counts', largestFirst: true }),
          next(top, others) {
            const only = groupsCondition(groupFields, top);
            const rest = others ? groupsCondition(groupFields, top, true) : undefined;
            if (!only || only.length > MAX_GROUPS_CONDITION || (others && !rest)) {
              return undefined;
            }
            const binned = { output: 'timeseries', intervalMs: buckets?.interval } as const;
            return {
              top: statsQuery(filter, { ...base, ...binned, extraCondition: only }),
              ...(rest ? { other: statsQuery(filter, { ...base, ...binned, groupBy: [], extraCondition: rest }) } : {}),
            };
          },
        }
      : undefined;
  return {
    query,
    kind: 'stats',
    edited: false,
    insights: stats,
    ...(steps ? { steps } : {}),
    shape: {
      statsGroups: stats.statsGroups,
      ...(buckets ? { buckets } : {}),
      groupFields,
      valueField: 'count',
      mapValues: groupBy.includes('component')
        ? { component: (raw) => (typeof raw === 'string' ? componentOfEventType(raw) : raw) }
        : undefined,
    },
  };
}

/** The output options of a time series or counts query, and the buckets its time series counts in. */
function statsPlanOf(query: IotLogsQuery, replace: Replace, scopedVars: ScopedVars | undefined, range: OutputRange) {
  const options = interpolateOutput(query, replace, scopedVars);
  const output = options.output as 'timeseries' | 'counts';
  let buckets: Buckets | undefined;
  if (output === 'timeseries') {
    const fixed = options.interval?.trim() ? parseInterval(options.interval) : undefined;
    buckets = planBuckets(range, undefined, fixed);
  }
  return { options, output, buckets };
}

/**
 * The group expressions of an edited Logs Insights query's last `stats … by …` command (`bin(5m)`,
 * `status`), split at top-level commas; undefined when it has no stats command.
 */
export function editedStatsGroups(expression: string): string[] | undefined {
  const stats = expression
    .split('|')
    .reverse()
    .find((c) => /^\s*stats\s/i.test(c));
  if (stats === undefined) {
    return undefined;
  }
  const by = /\sby\s+([\s\S]*)$/i.exec(stats);
  if (!by) {
    return [];
  }
  const groups: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of by[1]) {
    depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
    if (ch === ',' && depth === 0) {
      groups.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  groups.push(current.trim());
  return groups.filter((g) => g !== '').map((g) => g.replace(/^`(.*)`$/, '$1'));
}

/** Each query's own error of planning (a filter or option that cannot run), by refId. */
function planErrorsOf(queries: readonly IotLogsQuery[], ctx: CloudWatchRunContext): Map<string, string> {
  const errors = new Map<string, string>();
  for (const query of queries) {
    try {
      planCloudWatch(query, ctx.replace, ctx.scopedVars, ctx.range, ctx.adhoc);
    } catch (e) {
      errors.set(query.refId, e instanceof Error ? e.message : String(e));
    }
  }
  return errors;
}

/** One query's state as the request reports it. */
export interface CloudWatchQueryState {
  refId: string;
  state: LoadingState;
  frames: DataFrame[];
  error?: string;
  /** For the editor (RunReports). */
  report?: Omit<RunReport, 'refId' | 'query' | 'state'>;
}

/** What running needs from the data source. */
export interface CloudWatchRunContext {
  settings: CloudWatchSettings;
  findCloudWatch(uid: string | undefined): Promise<CloudWatchApi>;
  /** Runs a query on entries already read (runQuery with its input given), adding notices. */
  runOnEntries(
    query: IotLogsQuery,
    loaded: LoadedInput,
    notices: QueryResultMetaNotice[],
    signal: AbortSignal
  ): Promise<{ frames: DataFrame[]; report: Omit<RunReport, 'refId' | 'query' | 'state'> }>;
  replace: Replace;
  scopedVars?: ScopedVars;
  range: OutputRange;
  adhoc?: readonly ResolvedFieldFilter[];
  links?: LinkTarget;
}

const n = (v: number) => v.toLocaleString('en-US');

/** The notices of a query's run on CloudWatch. */
function runNotices(plan: CloudWatchPlan, rows: number, capped: boolean, missing: number): QueryResultMetaNotice[] {
  const notices: QueryResultMetaNotice[] = [];
  // (a stats answer at the cap: statsFrames says so itself)
  if (capped && plan.kind === 'entries') {
    const counting = plan.query.output === 'timeseries' || plan.query.output === 'counts';
    notices.push({
      severity: 'warning',
      text:
        `Logs Insights returned its maximum of ${n(INSIGHTS_ROW_CAP)} rows: older entries of the time range are ` +
        (counting
          ? 'not counted. Narrow the time range or the filters.'
          : 'not shown. Narrow the time range or the filters, or use the time series or counts output, which count in AWS.'),
    });
  }
  if (plan.statsFallback) {
    notices.push({ severity: 'info', text: `This ${plan.query.output} is ${plan.statsFallback}.` });
  }
  if (plan.kind === 'entries' && plan.insights.afterParse.length > 0 && !plan.statsFallback) {
    notices.push({
      severity: 'info',
      text: `Applied after the entries arrived (Logs Insights cannot express them): ${plan.insights.afterParse.join('; ')}.`,
    });
  }
  if (missing > 0) {
    notices.push({
      severity: 'warning',
      text: `${n(missing)} of ${n(rows)} rows from CloudWatch had no @message and could not be read: select @message in the Logs Insights query.`,
    });
  }
  return notices;
}

function withNotices(frames: DataFrame[], notices: QueryResultMetaNotice[]): DataFrame[] {
  if (notices.length === 0 || frames.length === 0) {
    return frames;
  }
  const [first, ...rest] = frames;
  return [{ ...first, meta: { ...first.meta, notices: [...(first.meta?.notices ?? []), ...notices] } }, ...rest];
}

/** One answer (partial or final) of one query shaped into its frames. */
async function shape(
  plan: CloudWatchPlan,
  result: DelegatedResult,
  signal: AbortSignal,
  ctx: CloudWatchRunContext
): Promise<CloudWatchQueryState> {
  const { query } = plan;
  const base = { refId: query.refId, state: result.state };
  if (result.error && result.frames.length === 0) {
    return { ...base, state: LoadingState.Error, frames: [], error: result.error };
  }
  const insightsReport = (rows: number, capped: boolean) => ({
    expression: plan.insights.expression,
    pushedDown: plan.insights.pushedDown,
    afterParse: plan.insights.afterParse,
    rows,
    capped,
    ...(result.status !== undefined ? { status: String(result.status) } : {}),
  });
  if (plan.kind === 'stats') {
    const rows = result.frames.reduce((sum, f) => sum + f.length, 0);
    const capped = rows >= INSIGHTS_ROW_CAP;
    const options = interpolateOutput(query, ctx.replace, ctx.scopedVars);
    let frames = statsFrames(result.frames, options, plan.shape!);
    if (isLogVolumeQuery(query)) {
      frames = logVolumeFrames(frames);
    }
    frames = withNotices(
      frames.map((f) => ({ ...f, refId: query.refId })),
      runNotices(plan, rows, capped, 0)
    );
    if (ctx.links && !isLogVolumeQuery(query)) {
      frames = withDataLinks(frames, query, ctx.links);
    }
    return {
      ...base,
      frames,
      ...(result.error ? { error: result.error } : {}),
      report: {
        output: {
          mode: query.output,
          frames: frames.length,
          rows: frames.reduce((s, f) => s + f.length, 0),
          matched: 0,
          parsed: 0,
        },
        insights: insightsReport(rows, capped),
      },
    };
  }
  const messages = messagesOf(result.frames);
  const loaded: LoadedInput = {
    key: ['cloudwatch', messages.text],
    input: () => messages.text,
  };
  const ran = await ctx.runOnEntries(
    query,
    loaded,
    runNotices(plan, messages.rows, messages.capped, messages.missing),
    signal
  );
  return {
    ...base,
    frames: ran.frames,
    ...(result.error ? { error: result.error } : {}),
    report: { ...ran.report, insights: insightsReport(messages.rows, messages.capped) },
  };
}

/** The refId of a two-step time series' query of the other groups. */
const otherRefId = (refId: string) => `${refId}~other`;

/** The second step of a two-step time series, from its ranking's answer. */
interface SecondStep {
  plan: CloudWatchPlan;
  ranking?: DelegatedResult;
  queries?: { top: InsightsQuery; other?: InsightsQuery };
}

function secondStep(plan: CloudWatchPlan, results: readonly DelegatedResult[], ctx: CloudWatchRunContext): SecondStep {
  const ranking = results.find((r) => r.refId === plan.query.refId);
  if (!ranking || ranking.error) {
    return { plan, ranking };
  }
  const options = interpolateOutput(plan.query, ctx.replace, ctx.scopedVars);
  const { top, count } = rankedGroups(ranking.frames, options, plan.shape!);
  if (count === 0) {
    return { plan, ranking };
  }
  // every group fits: count them all at once
  const queries =
    count <= top.length ? { top: plan.insights } : (plan.steps!.next(top, true) ?? { top: plan.insights });
  return { plan, ranking, queries };
}

/**
 * The states of the plans from an answer (in the plans' order), shaped one after the other's parse
 * aborted when a newer answer comes or the query is cancelled. `seconds`: the plans are two-step time
 * series in their second step, with their rankings.
 */
function shapeAll(
  plans: readonly CloudWatchPlan[],
  results: readonly DelegatedResult[],
  ctx: CloudWatchRunContext,
  onStates?: (states: CloudWatchQueryState[]) => void,
  seconds?: readonly SecondStep[]
): Observable<CloudWatchQueryState[]> {
  return new Observable<CloudWatchQueryState[]>((subscriber) => {
    const controller = new AbortController();
    void Promise.all(
      plans.map(async (plan, i): Promise<CloudWatchQueryState> => {
        const refId = plan.query.refId;
        const second = seconds?.[i];
        try {
          if (!second && plan.steps) {
            // first step: the ranking runs
            const ranking = results.find((r) => r.refId === refId);
            return ranking?.error
              ? { refId, state: LoadingState.Error, frames: [], error: ranking.error }
              : { refId, state: LoadingState.Loading, frames: [] };
          }
          if (second && (second.ranking?.error || !second.queries)) {
            if (second.ranking?.error) {
              return { refId, state: LoadingState.Error, frames: [], error: second.ranking.error };
            }
            // nothing to count: the output of an empty answer
            const empty: DelegatedResult = {
              refId,
              frames: [],
              state: LoadingState.Done,
              status: second.ranking?.status,
            };
            return await shape(plan, empty, controller.signal, ctx);
          }
          const result = results.find((r) => r.refId === refId);
          if (!result) {
            return { refId, state: LoadingState.Error, frames: [], error: 'No answer.' };
          }
          if (second?.queries) {
            const other = results.find((r) => r.refId === otherRefId(refId));
            if (other?.error) {
              return { refId, state: LoadingState.Error, frames: [], error: other.error };
            }
            const stepped: CloudWatchPlan = {
              ...plan,
              insights: second.queries.top,
              shape: { ...plan.shape!, ranking: second.ranking!.frames, ...(other ? { other: other.frames } : {}) },
            };
            const state =
              other && other.state === LoadingState.Loading && result.state !== LoadingState.Error
                ? LoadingState.Loading
                : result.state;
            return await shape(stepped, { ...result, state }, controller.signal, ctx);
          }
          return await shape(plan, result, controller.signal, ctx);
        } catch (e) {
          return { refId, state: LoadingState.Error, frames: [], error: e instanceof Error ? e.message : String(e) };
        }
      })
    ).then((states) => {
      if (!controller.signal.aborted) {
        onStates?.(states);
        subscriber.next(states);
        subscriber.complete();
      }
    });
    return () => controller.abort();
  });
}

/**
 * Runs the CloudWatch-source queries of a request in one delegated call: an emission per answer of the
 * CloudWatch data source (every query's state), the last one with no query Loading. Errors are per query;
 * never throws. Unsubscribing stops the AWS queries.
 */
export function runCloudWatch(
  queries: readonly IotLogsQuery[],
  request: DataQueryRequest,
  ctx: CloudWatchRunContext
): Observable<CloudWatchQueryState[]> {
  if (queries.length === 0) {
    return of([]);
  }
  const failed = (message: string, own: ReadonlyMap<string, string>) =>
    queries.map((q): CloudWatchQueryState => ({
      refId: q.refId,
      state: LoadingState.Error,
      frames: [],
      error: own.get(q.refId) ?? message,
    }));
  return defer(() => {
    const plans: Array<CloudWatchPlan | { error: string; query: IotLogsQuery }> = queries.map((query) => {
      try {
        return planCloudWatch(query, ctx.replace, ctx.scopedVars, ctx.range, ctx.adhoc);
      } catch (e) {
        return { query, error: e instanceof Error ? e.message : String(e) };
      }
    });
    const runnable = plans.filter((p): p is CloudWatchPlan => !('error' in p));
    const planErrors = new Map(
      plans
        .filter((p): p is { error: string; query: IotLogsQuery } => 'error' in p)
        .map((p) => [p.query.refId, p.error])
    );
    const withPlanErrors = (states: CloudWatchQueryState[]): CloudWatchQueryState[] =>
      queries.map(
        (q) =>
          states.find((s) => s.refId === q.refId) ?? {
            refId: q.refId,
            state: LoadingState.Error,
            frames: [],
            error: planErrors.get(q.refId) ?? 'This query did not run.',
          }
      );
    if (runnable.length === 0) {
      return of(withPlanErrors([]));
    }
    const settings = {
      cloudWatchUid: ctx.settings.cloudWatchUid!,
      region: ctx.settings.region,
      logGroups: ctx.settings.logGroups,
    };
    const target = (refId: string, q: InsightsQuery) => insightsTarget(refId, q.expression, q.statsGroups, settings);
    const twoSteps = runnable.filter((p) => p.steps !== undefined);
    return from(ctx.findCloudWatch(ctx.settings.cloudWatchUid)).pipe(
      switchMap((api) => {
        const first = runnable.map((p) => target(p.query.refId, p.steps ? p.steps.ranking : p.insights));
        let settled: CloudWatchQueryState[] = [];
        return delegate(api, first, request).pipe(
          // A newer answer replaces the shaping of an older one (each answer holds the whole result so far).
          switchMap((response) => {
            const shaped = shapeAll(runnable, response.results, ctx, (states) => (settled = states));
            if (response.state === LoadingState.Loading || twoSteps.length === 0) {
              return shaped;
            }
            // The rankings are in: the binned counts of the top groups, and of the others together.
            const seconds = twoSteps.map((plan) => secondStep(plan, response.results, ctx));
            const targets = seconds.flatMap((second) =>
              second.queries
                ? [
                    target(second.plan.query.refId, second.queries.top),
                    ...(second.queries.other
                      ? [target(otherRefId(second.plan.query.refId), second.queries.other)]
                      : []),
                  ]
                : []
            );
            return concat(
              shaped,
              (targets.length > 0
                ? (delegate(api, targets, request) as Observable<DelegatedResponse | undefined>)
                : of(undefined)
              ).pipe(
                switchMap((answer) =>
                  shapeAll(
                    seconds.map((second) => second.plan),
                    answer?.results ?? [],
                    ctx,
                    undefined,
                    seconds
                  ).pipe(map((states) => settled.map((s) => states.find((t) => t.refId === s.refId) ?? s)))
                )
              )
            );
          })
        );
      }),
      map(withPlanErrors)
    );
  }).pipe(
    // findCloudWatch rejects with a sentence (no data source chosen, not found, no access)
    (source) =>
      new Observable<CloudWatchQueryState[]>((subscriber) =>
        source.subscribe({
          next: (v) => subscriber.next(v),
          error: (e) => {
            subscriber.next(failed(e instanceof Error ? e.message : String(e), planErrorsOf(queries, ctx)));
            subscriber.complete();
          },
          complete: () => subscriber.complete(),
        })
      )
  );
}
