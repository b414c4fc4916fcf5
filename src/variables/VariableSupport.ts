/**
 * Query variables of this data source (Grafana's CustomVariableSupport): a variable query
 * (variableQuery.ts) lists the distinct values of the entries its source holds, as a frame of `text`
 * and `value` fields (what Grafana's toMetricFindValues reads) and their `count`.
 *
 * Chaining: the variable query's filters are interpolated with the request's scoped variables, as a
 * panel query's are (rowFilterOf), so `$clientId` listing the clients of `component = $component`
 * follows `$component`. The time range is the request's (the dashboard's when the variable refreshes on
 * time range change), unless the query ignores it.
 *
 * Never throws: a source that cannot be read, a filter that cannot run, a query of any shape become
 * the response's errors with a message the user can act on.
 */
import {
  CustomVariableSupport,
  FieldType,
  LoadingState,
  createDataFrame,
  type DataFrame,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
} from '@grafana/data';
import { Observable } from 'rxjs';

import { rowFilterOf } from '../query/interpolate';
import type { IotLogsOptions, IotLogsQuery } from '../types';
import type { DataReader, VariableDataSource } from './types';
import { asLogsQuery, migrateVariableQuery, type IotLogsVariableQuery } from './variableQuery';
import { VariableQueryEditor } from './VariableQueryEditor';
import { MAX_VALUES, variableValueList, type ValueCount } from './values';

export class IotLogsVariableSupport extends CustomVariableSupport<
  VariableDataSource,
  IotLogsVariableQuery,
  IotLogsQuery,
  IotLogsOptions
> {
  editor = VariableQueryEditor;

  constructor(private readonly ds: DataReader) {
    super();
  }

  // No getDefaultQuery: Grafana types it as the panel query's (Partial<IotLogsQuery>), whose schemaVersion
  // is not the variable query's. A new variable's empty query ('' or { refId }) migrates to the defaults,
  // in the editor and in query() alike.

  query(request: DataQueryRequest<IotLogsVariableQuery>): Observable<DataQueryResponse> {
    return new Observable<DataQueryResponse>((subscriber) => {
      const controller = new AbortController();
      subscriber.next({ data: [], state: LoadingState.Loading });
      this.run(request, controller.signal).then(
        (response) => {
          subscriber.next(response);
          subscriber.complete();
        },
        // run() catches every error; this is a safety net, never a throw to Grafana.
        (e: unknown) => {
          subscriber.next({ data: [], errors: [{ message: messageOf(e) }], state: LoadingState.Error });
          subscriber.complete();
        }
      );
      // Unsubscribing (Grafana cancels a refresh) stops loading and parsing.
      return () => controller.abort();
    });
  }

  private async run(request: DataQueryRequest<IotLogsVariableQuery>, signal: AbortSignal): Promise<DataQueryResponse> {
    // Grafana hands a string query of an old dashboard over as it is, and may omit the refId.
    const targets: unknown[] = Array.isArray(request.targets) ? request.targets : [];
    const data: DataFrame[] = [];
    const errors: DataQueryError[] = [];
    await Promise.all(
      targets.map(async (target) => {
        const query = migrateVariableQuery(target);
        if (query.hide) {
          return;
        }
        try {
          data.push(await this.values(query, request, signal));
        } catch (e) {
          errors.push({ refId: query.refId, message: messageOf(e) });
        }
      })
    );
    return {
      data,
      ...(errors.length > 0 ? { errors } : {}),
      state: errors.length > 0 ? LoadingState.Error : LoadingState.Done,
    };
  }

  private async values(
    query: IotLogsVariableQuery,
    request: DataQueryRequest<IotLogsVariableQuery>,
    signal: AbortSignal
  ): Promise<DataFrame> {
    const { scopedVars } = request;
    const field = query.values === 'field' ? this.ds.replace(query.field ?? '', scopedVars).trim() : undefined;
    if (field === '') {
      throw new Error('Choose the field whose values the variable lists.');
    }
    const from = request.range?.from.valueOf() ?? 0;
    const to = request.range?.to.valueOf() ?? Date.now();
    const result = await this.ds.parse(query, { rangeTo: to, scopedVars, signal });
    const filter = rowFilterOf(asLogsQuery(query), this.ds.replace, scopedVars, { from, to });
    const spec = { values: query.values, field, sort: query.sort };
    const { values, total } = variableValueList(result, filter, spec, MAX_VALUES);
    return valuesFrame(query, values, total);
  }
}

/** The frame Grafana reads a variable's options from: `text` (shown) and `value`, and each one's `count`. */
export function valuesFrame(query: IotLogsVariableQuery, values: readonly ValueCount[], total: number): DataFrame {
  const text = values.map((v) => {
    const name = v.label ?? v.value;
    return query.showCounts ? `${name} (${v.count.toLocaleString('en-US')})` : name;
  });
  return createDataFrame({
    refId: query.refId,
    name: 'values',
    fields: [
      { name: 'text', type: FieldType.string, values: text },
      { name: 'value', type: FieldType.string, values: values.map((v) => v.value) },
      { name: 'count', type: FieldType.number, values: values.map((v) => v.count) },
    ],
    ...(total > values.length
      ? {
          meta: {
            notices: [
              {
                severity: 'warning',
                text: `${total.toLocaleString('en-US')} values: the ${values.length.toLocaleString('en-US')} most frequent are listed.`,
              },
            ],
          },
        }
      : {}),
  });
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
