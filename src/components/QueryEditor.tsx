import React, { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { CoreApp, LoadingState, type QueryEditorProps } from '@grafana/data';
import { EditorRow, EditorRows } from '@grafana/plugin-ui';

import type { DataSource } from '../datasource';
import { migrateQuery } from '../migrations/migrateQuery';
import type { ComponentId } from '../parsing';
import type { IotLogsOptions, IotLogsQuery, SourceType } from '../types';
import { EditorHeaderRow } from './EditorHeaderRow';
import { FilterRows } from './FilterRows';
import { changedSinceRun } from './lastRun';
import { OutputOptions } from './OutputOptions';
import { QueryOptionsRow } from './QueryOptionsRow';
import { fieldOptions, groupByOptions, withOutput } from './queryEditorOptions';
import { RunSummary } from './RunSummary';
import { AlertActions } from './AlertActions';
import { SourceInput } from './SourceInput';
import { clearedSource, hasInput, switchSource } from './sourceSwitch';

type Props = QueryEditorProps<DataSource, IotLogsQuery, IotLogsOptions>;

const NONE: readonly string[] = [];

/**
 * The query editor, laid out like Grafana's AWS data sources: source, output mode and Run in the header;
 * then the source's input, the filters, the options of the output mode, the collapsed options; then
 * what the last run did. Every control shows the query; the last run comes from the data source's
 * run reports.
 */
export function QueryEditor({ query: stored, onChange, onRunQuery, data, datasource, app }: Props) {
  const query = useMemo(() => migrateQuery(stored), [stored]);
  const { refId, source } = query;
  const explore = app === CoreApp.Explore;

  // The run the panel's data came from, as its report says (updated while it runs).
  const requestId = data?.request?.requestId;
  const report = useSyncExternalStore(datasource.reports.subscribe, () => datasource.reports.get(requestId, refId));
  const changed = changedSinceRun(query, report?.query);

  // Reading a file takes a while: a new source is applied to the query as it is then, not as it was.
  const latest = useRef(query);
  useEffect(() => {
    latest.current = query;
  }, [query]);
  // The input of each source type not shown, so that switching back restores it.

  const seenEventTypes = report?.eventTypes ?? NONE;
  const seenFields = report?.fields ?? NONE;
  // migrateQuery makes new arrays on every change (a keystroke): the field suggestions are keyed by
  // what they depend on, so typing a value or a search does not rebuild them.
  const suggestionKey = JSON.stringify([
    query.components,
    query.eventTypes,
    [...query.fieldFilters.map((f) => f.field), query.metricField ?? ''],
    query.groupBy,
  ]);
  const { fields, groupByFields } = useMemo(() => {
    const [components, eventTypes, inUse, groupBy] = JSON.parse(suggestionKey) as [
      ComponentId[],
      string[],
      string[],
      string[],
    ];
    return {
      fields: fieldOptions({ components, eventTypes }, seenFields, inUse),
      groupByFields: groupByOptions({ components, eventTypes, groupBy }, seenFields),
    };
  }, [suggestionKey, seenFields]);

  const change = (next: IotLogsQuery, run: boolean) => {
    onChange(next);
    if (run) {
      onRunQuery();
    }
  };
  /** For text inputs: leaving one runs the query when it changed since the last run. */
  const runIfChanged = () => {
    if (changed) {
      onRunQuery();
    }
  };

  const onSource = (type: SourceType) => {
    if (type !== source.type) {
      const switched = switchSource(query, type);
      change(switched, hasInput(switched.source));
    }
  };

  return (
    <div
      onKeyDown={(e) => {
        // Shift+Enter in a text field runs the query (as in Grafana's code editors).
        const target = e.target as HTMLElement;
        if (e.key === 'Enter' && e.shiftKey && (target.tagName === 'TEXTAREA' || target.tagName === 'INPUT')) {
          e.preventDefault();
          onRunQuery();
        }
      }}
    >
      <EditorHeaderRow
        source={source.type}
        output={query.output}
        changed={changed}
        onSource={onSource}
        onOutput={(output) => change(withOutput(query, output), true)}
        onRun={onRunQuery}
      />
      <EditorRows>
        <EditorRow>
          <SourceInput
            refId={refId}
            source={source}
            query={query}
            intervalMs={data?.request?.intervalMs}
            datasource={datasource}
            explore={explore}
            onChange={(next, run) => change({ ...latest.current, source: next }, run)}
            onClear={() => change({ ...query, source: clearedSource(source) }, false)}
            onBlur={runIfChanged}
          />
        </EditorRow>
        <FilterRows
          query={query}
          seenEventTypes={seenEventTypes}
          fields={fields}
          onChange={change}
          onTextBlur={runIfChanged}
        />
        <OutputOptions
          query={query}
          groupByFields={groupByFields}
          fields={fields}
          onChange={change}
          onTextBlur={runIfChanged}
        />
        <QueryOptionsRow query={query} onChange={change} />
        <AlertActions query={query} cloudWatch={datasource.cloudWatch} replace={datasource.replace} />
        <RunSummary
          report={report}
          loading={data?.state === LoadingState.Loading}
          error={data?.errors?.find((e) => e.refId === refId)?.message}
        />
      </EditorRows>
    </div>
  );
}
