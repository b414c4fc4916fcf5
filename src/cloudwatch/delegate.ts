/**
 * Runs Logs Insights targets through Grafana's CloudWatch data source and reports their progress.
 *
 * How the CloudWatch data source answers (grafana/grafana-cloudwatch-datasource,
 * src/query-runner/CloudWatchLogsQueryRunner.ts and pkg/cloudwatch/log_actions.go, log_query.go):
 * - `query()` starts every logs target of the request (StartQuery), then polls (GetQueryResults) and
 *   emits the whole result so far of every target each time: `Loading` while any target runs, then
 *   `Done`. Every emission has `key: 'test-key'`; a target's frames carry `meta.custom.Status`
 *   (Scheduled, Running, Complete, Failed, Cancelled, Timeout).
 * - A target AWS refuses to start (invalid query, no permission, unknown log group) has no frames: its
 *   error is in `errors` with its refId, in every later emission.
 * - When its own logs timeout passes, the data source marks the frames Cancelled and adds an error of
 *   type `timeout` ("Query hit timeout before completing…"), partial results kept.
 * - A failure of the HTTP call itself (a 403 when the user may not query the data source) is an
 *   Observable error before polling starts, and a `next` of the error object while polling.
 * - Unsubscribing tears the polling down, which is meant to stop the AWS queries (StopQuery).
 *
 * Rules kept here: one call for all the targets of a plugin request; a request id of its own per call
 * (Grafana cancels a request whose id another request reuses); the subscription chain is kept, so that
 * unsubscribing from the returned Observable unsubscribes from the data source's; CloudWatch's `key` is
 * never passed on (the plugin sets its own); every error is a sentence per refId that says what to do.
 */
import { LoadingState, type DataFrame, type DataQueryRequest, type DataQueryResponse } from '@grafana/data';
import { from, Observable, Subscription } from 'rxjs';

import type { CloudWatchLogsTarget } from './types';

/** What the delegation needs of the CloudWatch data source (a DataSourceApi has both). */
export interface CloudWatchApi {
  query(request: DataQueryRequest<CloudWatchLogsTarget>): Observable<DataQueryResponse> | Promise<DataQueryResponse>;
  /** The data source's name, for messages. */
  name?: string;
}

/** The statuses of a Logs Insights query (meta.custom.Status of the data source's frames). */
export type InsightsStatus = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled' | 'Timeout' | 'Unknown';

/** What went wrong with a target, for callers that act on it (the message says it in words). */
export type DelegationErrorKind =
  | 'invalid-query'
  | 'permission'
  | 'timeout'
  | 'cancelled'
  | 'failed'
  | 'log-group'
  | 'throttled'
  | 'exception'
  | 'no-result'
  | 'other';

/** One target's state in a delegated response. */
export interface DelegatedResult {
  refId: string;
  /** The target's frames so far (each emission replaces them: the data source sends the whole result). */
  frames: DataFrame[];
  /** The data source's meta.custom.Status of the frames, when it sent one. */
  status?: InsightsStatus | string;
  /** Loading while the query runs, Done when complete, Error when `error` is set. */
  state: LoadingState;
  /** A sentence for the user; partial frames may remain (a timeout keeps what arrived). */
  error?: string;
  errorKind?: DelegationErrorKind;
}

/** Progress of a delegated request: every target, in the order given, each time something arrives. */
export interface DelegatedResponse {
  /** The request id the data source was called with. */
  requestId: string;
  /** Loading until the last emission; then Done, or Error when a target has an error. */
  state: LoadingState;
  results: DelegatedResult[];
}

let delegations = 0;

/** A request id for a delegated call: the plugin request's id, then a counter no other call shares. */
export function delegatedRequestId(pluginRequestId: string | undefined): string {
  delegations += 1;
  return `${pluginRequestId || 'iotlogs'}-cloudwatch-${delegations}`;
}

const TERMINAL_OK: ReadonlySet<string> = new Set(['Complete']);
const TERMINAL_ERROR: ReadonlySet<string> = new Set(['Failed', 'Cancelled', 'Timeout']);

/** An error as the data source or rxjs hands it: a DataQueryError, a FetchError, an Error, a string. */
interface ErrorLike {
  message?: unknown;
  status?: unknown;
  type?: unknown;
  statusText?: unknown;
  data?: { message?: unknown; error?: unknown } | unknown;
}

function textOf(e: unknown): string {
  if (typeof e === 'string') {
    return e;
  }
  if (e && typeof e === 'object') {
    const x = e as ErrorLike;
    const data = x.data && typeof x.data === 'object' ? (x.data as { message?: unknown; error?: unknown }) : {};
    for (const candidate of [x.message, data.message, data.error, x.statusText]) {
      if (typeof candidate === 'string' && candidate.trim() !== '') {
        return candidate.trim();
      }
    }
  }
  return e === undefined ? 'no details' : String(e);
}

function statusOf(e: unknown): number | undefined {
  if (e && typeof e === 'object') {
    const s = (e as ErrorLike).status;
    return typeof s === 'number' ? s : typeof s === 'string' && /^\d+$/.test(s) ? Number(s) : undefined;
  }
  return undefined;
}

/**
 * The part of an AWS error worth reading: after the data source's "failed to execute log action…" prefix
 * and the SDK's "operation error … RequestID: …," noise, `<message> (<ExceptionName>)`.
 */
export function awsDetail(message: string): string {
  const text = message.replace(/^failed to execute log action with subtype: \w+:\s*/, '').trim();
  const api = /([A-Z][A-Za-z]+(?:Exception|Error)):\s*([\s\S]*)$/.exec(text);
  if (api && api[2].trim() !== '') {
    return `${api[2].trim()} (${api[1]})`;
  }
  return text;
}

/** AWS refusing the credentials themselves (not a missing permission). */
const CREDENTIALS =
  /UnrecognizedClient|InvalidClientTokenId|ExpiredToken|security token included in the request is (?:invalid|expired)|InvalidSignature|SignatureDoesNotMatch|NoCredentialProviders|failed to refresh cached credentials/i;
const PERMISSION =
  /AccessDenied|not authorized|UnauthorizedOperation|UnrecognizedClient|InvalidClientTokenId|ExpiredToken|security token/i;
const LOG_GROUP = /ResourceNotFound|log group[^.]*(does not exist|not found)/i;
const THROTTLED = /LimitExceeded|Throttling|Rate exceeded|TooManyRequests/i;
const TIMEOUT = /timed? ?out|deadline exceeded/i;
const INVALID =
  /MalformedQuery|InvalidParameter|unexpected symbol|syntax|mismatched input|extraneous input|no viable alternative|Unknown (function|command)/i;

function dataSourceName(api: CloudWatchApi): string {
  return api.name ? `The CloudWatch data source "${api.name}"` : 'The CloudWatch data source';
}

/** A sentence for an error the data source reported (or threw), and its kind. */
export function describeError(
  e: unknown,
  api: CloudWatchApi,
  thrown = false
): { message: string; kind: DelegationErrorKind } {
  const text = textOf(e);
  const detail = awsDetail(text);
  const ds = dataSourceName(api);
  const status = statusOf(e);
  if (CREDENTIALS.test(text)) {
    return {
      kind: 'permission',
      message:
        `${ds} could not sign in to AWS: its credentials are missing, wrong or expired, or not valid in this region. ` +
        `Check them in that data source's settings (AWS said: ${detail}).`,
    };
  }
  if (PERMISSION.test(text)) {
    return {
      kind: 'permission',
      message:
        `${ds} has no permission to run this Logs Insights query: give its AWS credentials logs:StartQuery, ` +
        `logs:GetQueryResults and logs:StopQuery on the log groups (AWS said: ${detail}).`,
    };
  }
  if (status === 403) {
    return {
      kind: 'permission',
      message:
        `${ds} refused the query (403): it has no permission to run it, or your Grafana user may not query that ` +
        `data source. Ask an administrator for query access to it, or choose another in this data source's settings (${detail}).`,
    };
  }
  if ((e && typeof e === 'object' && (e as ErrorLike).type === 'timeout') || TIMEOUT.test(text)) {
    return { kind: 'timeout', message: timeoutMessage(ds, detail) };
  }
  if (LOG_GROUP.test(text)) {
    return {
      kind: 'log-group',
      message: `A log group of this query does not exist in that region: check the log groups and the region in this data source's settings (AWS said: ${detail}).`,
    };
  }
  if (THROTTLED.test(text)) {
    return {
      kind: 'throttled',
      message: `AWS refused to start the Logs Insights query: too many queries are running in this account and region. Try again shortly, or run fewer queries at once (AWS said: ${detail}).`,
    };
  }
  if (thrown) {
    return { kind: 'exception', message: `${ds} could not run the query: ${detail}` };
  }
  if (INVALID.test(text) || /StartQuery/.test(text)) {
    return { kind: 'invalid-query', message: `Logs Insights rejected the query: ${detail}` };
  }
  return { kind: 'other', message: `${ds} reported an error: ${detail}` };
}

function timeoutMessage(ds: string, detail?: string): string {
  return (
    `The Logs Insights query timed out before it completed; partial results may be shown. Narrow the time ` +
    `range or the filters, or raise the logs timeout of ${ds.replace(/^The /, 'the ')}` +
    (detail ? ` (${detail})` : '') +
    '.'
  );
}

/** The sentence of a status that ends a query without its result (Failed, Cancelled, Timeout). */
function statusError(status: string, api: CloudWatchApi): { message: string; kind: DelegationErrorKind } {
  const ds = dataSourceName(api);
  switch (status) {
    case 'Timeout':
      return { kind: 'timeout', message: timeoutMessage(ds, 'status Timeout') };
    case 'Cancelled':
      return {
        kind: 'cancelled',
        message:
          'The Logs Insights query was cancelled before it completed (in AWS, or by another request); partial ' +
          'results may be shown. Run it again.',
      };
    default:
      return {
        kind: 'failed',
        message:
          'The Logs Insights query failed in AWS (status Failed). Run it again; if it keeps failing, narrow the ' +
          'time range or simplify the filters.',
      };
  }
}

function isResponse(value: unknown): value is DataQueryResponse {
  return !!value && typeof value === 'object' && Array.isArray((value as DataQueryResponse).data);
}

function frameStatus(frames: readonly DataFrame[]): string | undefined {
  for (const frame of frames) {
    const status = (frame.meta?.custom as { Status?: unknown } | undefined)?.Status;
    if (typeof status === 'string') {
      return status;
    }
  }
  return undefined;
}

/**
 * Runs `targets` (all of them, in one call) through the CloudWatch data source for a plugin request:
 * an emission per answer of the data source, the last one Done or Error. Unsubscribing unsubscribes
 * from the data source. No targets: one Done emission, no call.
 */
export function delegate(
  cloudWatch: CloudWatchApi,
  targets: readonly CloudWatchLogsTarget[],
  request: DataQueryRequest<any>
): Observable<DelegatedResponse> {
  return new Observable<DelegatedResponse>((subscriber) => {
    const requestId = delegatedRequestId(request.requestId);
    const results: DelegatedResult[] = targets.map((t) => ({
      refId: t.refId,
      frames: [],
      state: LoadingState.Loading,
    }));
    const byRefId = new Map(results.map((r) => [r.refId, r]));
    const upstream = new Subscription();
    let finished = false;

    const snapshot = (state: LoadingState): DelegatedResponse => ({
      requestId,
      state,
      results: results.map((r) => ({ ...r, frames: [...r.frames] })),
    });
    const setError = (result: DelegatedResult, error: { message: string; kind: DelegationErrorKind }) => {
      result.error = error.message;
      result.errorKind = error.kind;
      result.state = LoadingState.Error;
    };
    const finish = () => {
      if (finished) {
        return;
      }
      finished = true;
      for (const r of results) {
        if (r.state === LoadingState.Loading) {
          if (r.status !== undefined && !TERMINAL_OK.has(r.status) && !TERMINAL_ERROR.has(r.status)) {
            // The data source stopped answering while the query ran.
            setError(r, {
              kind: 'other',
              message: `${dataSourceName(cloudWatch)} stopped answering before the query completed (status ${r.status}); partial results may be shown. Run it again.`,
            });
          } else if (r.status === undefined && r.frames.length === 0) {
            setError(r, {
              kind: 'no-result',
              message: `${dataSourceName(cloudWatch)} returned no result for this query: check the log groups in this data source's settings.`,
            });
          } else {
            r.state = LoadingState.Done;
          }
        }
      }
      const failed = results.some((r) => r.state === LoadingState.Error);
      subscriber.next(snapshot(failed ? LoadingState.Error : LoadingState.Done));
      upstream.unsubscribe();
      subscriber.complete();
    };
    const failAll = (error: { message: string; kind: DelegationErrorKind }) => {
      for (const r of results) {
        if (r.state !== LoadingState.Error) {
          setError(r, error);
        }
      }
      finish();
    };
    const apply = (response: DataQueryResponse) => {
      const frames = new Map<string, DataFrame[]>();
      for (const frame of response.data as DataFrame[]) {
        const refId = frame?.refId ?? (results.length === 1 ? results[0].refId : undefined);
        if (refId !== undefined && byRefId.has(refId)) {
          frames.set(refId, [...(frames.get(refId) ?? []), frame]);
        }
      }
      for (const [refId, list] of frames) {
        const result = byRefId.get(refId)!;
        result.frames = list;
        result.status = frameStatus(list) ?? result.status;
      }
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- older data sources send only `error`
      const errors = response.errors ?? (response.error ? [response.error] : []);
      for (const error of errors) {
        const targetsOf = error.refId !== undefined && byRefId.has(error.refId) ? [byRefId.get(error.refId)!] : results;
        for (const result of targetsOf) {
          // The first error of a target stays: later emissions repeat it, a timeout may follow a status.
          if (result.error === undefined || (error.type === 'timeout' && result.errorKind !== 'timeout')) {
            setError(result, describeError(error, cloudWatch));
          }
        }
      }
      for (const result of results) {
        if (result.error !== undefined || result.status === undefined) {
          continue;
        }
        if (TERMINAL_OK.has(result.status)) {
          result.state = LoadingState.Done;
        } else if (TERMINAL_ERROR.has(result.status)) {
          setError(result, statusError(result.status, cloudWatch));
        } else {
          result.state = LoadingState.Loading;
        }
      }
    };

    if (results.length === 0) {
      finish();
      return;
    }
    const cwRequest: DataQueryRequest<CloudWatchLogsTarget> = { ...request, requestId, targets: [...targets] };
    // Ad hoc filters and group-bys are this plugin's (already in the expression): not the data source's.
    delete cwRequest.filters;
    delete cwRequest.groupByKeys;

    let source: Observable<DataQueryResponse>;
    try {
      source = from(cloudWatch.query(cwRequest));
    } catch (e) {
      failAll(describeError(e, cloudWatch, true));
      return;
    }
    upstream.add(
      source.subscribe({
        next: (response: unknown) => {
          if (finished) {
            return;
          }
          if (!isResponse(response)) {
            // The data source hands errors of its polling on as values.
            failAll(describeError(response, cloudWatch));
            return;
          }
          apply(response);
          const upstreamDone = response.state === LoadingState.Done || response.state === LoadingState.Error;
          const allSettled = results.every((r) => r.state !== LoadingState.Loading);
          if (upstreamDone || allSettled) {
            finish();
          } else {
            subscriber.next(snapshot(LoadingState.Loading));
          }
        },
        error: (e: unknown) => {
          if (!finished) {
            failAll(describeError(e, cloudWatch, e instanceof Error && statusOf(e) === undefined));
          }
        },
        complete: finish,
      })
    );
    return () => {
      finished = true;
      upstream.unsubscribe();
    };
  });
}
