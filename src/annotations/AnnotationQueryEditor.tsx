import React, { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { AnnotationQuery, DataSourceApi, QueryEditorProps } from '@grafana/data';
import { EditorHeader, EditorRow, EditorRows, FlexItem } from '@grafana/plugin-ui';
import { Button, ErrorBoundaryAlert, RadioButtonGroup, Stack, Text } from '@grafana/ui';

import { FilterRows } from '../components/FilterRows';
import { FindingsOptions } from '../components/OutputOptions';
import { QueryOptionsRow } from '../components/QueryOptionsRow';
import { fieldOptions } from '../components/queryEditorOptions';
import { RunSummary } from '../components/RunSummary';
import { SourceInput } from '../components/SourceInput';
import { clearedSource, hasInput, switchSource } from '../components/sourceSwitch';
import type { RunReport, RunReports } from '../query/runReport';
import { SOURCE_TYPES, sourceKind, type SourceEditorContext } from '../sources';
import type { IotLogsOptions, IotLogsQuery, SourceType } from '../types';
import {
  ANNOTATION_LIMIT,
  LIMIT_TAG,
  MAPPING_DESCRIPTIONS,
  annotationsFromFrames,
  mappedKeys,
  migrateAnnotationQuery,
  type AnnotateMode,
  type AnnotationResult,
} from './annotations';
import { annotationSelectors } from './selectors';

/** What the editor needs from the data source: the source editors' context and the run reports. */
export interface AnnotationEditorContext extends SourceEditorContext {
  reports: RunReports;
}

/** The props Grafana gives an annotation editor (its `datasource` is this plugin's data source). */
export type AnnotationQueryEditorProps = QueryEditorProps<
  DataSourceApi<IotLogsQuery, IotLogsOptions>,
  IotLogsQuery,
  IotLogsOptions
> & {
  annotation?: AnnotationQuery<IotLogsQuery>;
  onAnnotationChange?: (annotation: AnnotationQuery<IotLogsQuery>) => void;
};

type Props = AnnotationQueryEditorProps & { context: AnnotationEditorContext };

const SOURCE_OPTIONS = SOURCE_TYPES.map((type) => {
  const { label, description } = sourceKind(type);
  return { label, value: type, description };
});

export const MARK_OPTIONS: ReadonlyArray<{ label: string; value: AnnotateMode; description: string }> = [
  { label: 'Each entry', value: 'entries', description: 'One annotation per matching entry, at its time' },
  {
    label: 'Each session (region)',
    value: 'sessions',
    description:
      'One region per MQTT session, from its Connect to its Disconnect (built from the Connect and Disconnect entries that pass the filters)',
  },
  {
    label: 'Each finding',
    value: 'findings',
    description:
      'One annotation per fleet-health finding (storms, takeovers, brute force, throttling, failing rules and jobs…) where it started',
  },
];

const NONE: readonly string[] = [];
const n = (v: number) => v.toLocaleString('en-US');

/**
 * The annotation editor: where the entries come from, which of them to mark (every filter of a panel
 * query), whether each entry or each session is marked, and what title, text and tags the annotations
 * get. Grafana runs the annotation after every change (and with its "Test annotation query" button), so
 * changes here only change the query. Every control derives from the query.
 */
export function AnnotationQueryEditor(props: Props) {
  return (
    <ErrorBoundaryAlert title="The AWS IoT Logs annotation editor failed" style="alertbox">
      <Editor {...props} />
    </ErrorBoundaryAlert>
  );
}

function Editor({ query: stored, onChange, data, annotation, onAnnotationChange, context }: Props) {
  const query = useMemo(() => migrateAnnotationQuery(stored), [stored]);
  const { refId, source } = query;

  const requestId = data?.request?.requestId;
  const report = useSyncExternalStore(context.reports.subscribe, () => context.reports.get(requestId, refId));

  // Reading a file takes a while: a new source is applied to the query as it is then.
  const latest = useRef(query);
  useEffect(() => {
    latest.current = query;
  }, [query]);

  const seenFields = report?.fields ?? NONE;
  const { components, eventTypes, fieldFilters } = query;
  const fields = useMemo(
    () =>
      fieldOptions(
        { components, eventTypes },
        seenFields,
        fieldFilters.map((f) => f.field)
      ),
    [components, eventTypes, fieldFilters, seenFields]
  );

  const series = data?.series;
  const mappings = annotation?.mappings;
  const result = useMemo(
    () => (series && series.length > 0 ? annotationsFromFrames({ target: query, mappings }, series) : undefined),
    [series, query, mappings]
  );

  const change = (next: IotLogsQuery) => onChange(next);
  const onSource = (type: SourceType) => {
    if (type !== source.type) {
      change(switchSource(query, type));
    }
  };
  const mapped = mappedKeys(mappings);

  return (
    <div data-testid={annotationSelectors.editor}>
      <EditorHeader>
        <div role="radiogroup" aria-label="Source" data-testid={annotationSelectors.source}>
          <RadioButtonGroup size="sm" options={SOURCE_OPTIONS} value={source.type} onChange={onSource} />
        </div>
        <FlexItem grow={1} />
        <Text color="secondary" variant="bodySmall" id={`${refId}-mark-label`}>
          Mark
        </Text>
        <div role="radiogroup" aria-labelledby={`${refId}-mark-label`} data-testid={annotationSelectors.mark}>
          <RadioButtonGroup
            size="sm"
            options={[...MARK_OPTIONS]}
            value={query.annotate}
            onChange={(annotate) => change(migrateAnnotationQuery({ ...query, annotate }))}
          />
        </div>
      </EditorHeader>
      <EditorRows>
        <EditorRow>
          <SourceInput
            refId={refId}
            source={source}
            datasource={context}
            explore={false}
            onChange={(next) => change({ ...latest.current, source: next })}
            onClear={() => change({ ...query, source: clearedSource(source) })}
            onBlur={() => {}}
          />
        </EditorRow>
        <FilterRows
          query={query}
          seenEventTypes={report?.eventTypes ?? NONE}
          fields={fields}
          onChange={change}
          onTextBlur={() => {}}
        />
        <QueryOptionsRow query={query} onChange={change} />
        {query.annotate === 'findings' && <FindingsOptions query={query} onChange={change} />}
        <EditorRow>
          <Mapping annotate={query.annotate} result={result} />
        </EditorRow>
        {mapped.length > 0 && (
          <EditorRow>
            <div data-testid={annotationSelectors.mappings}>
              <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
                <Text color="warning" variant="bodySmall">
                  The field mappings below replace the default {mapped.join(', ')}.
                </Text>
                {onAnnotationChange && annotation && (
                  <Button
                    size="sm"
                    variant="secondary"
                    onClick={() => onAnnotationChange({ ...annotation, mappings: {} })}
                  >
                    Use the default mapping
                  </Button>
                )}
              </Stack>
            </div>
          </EditorRow>
        )}
        <EditorRow>
          {hasInput(source) ? (
            <LastRun report={report} result={result} annotate={query.annotate} error={runError(data?.errors, refId)} />
          ) : (
            <div data-testid={annotationSelectors.noInput}>
              <Text color="secondary" variant="bodySmall">
                Paste, upload or choose the entries to mark: the annotations run once there are some.
              </Text>
            </div>
          )}
        </EditorRow>
      </EditorRows>
    </div>
  );
}

function runError(errors: Array<{ refId?: string; message?: string }> | undefined, refId: string): string | undefined {
  return errors?.find((e) => e.refId === undefined || e.refId === refId)?.message;
}

/** What each annotation gets, in words, and the newest one the last run made. */
function Mapping({ annotate, result }: { annotate: AnnotateMode; result: AnnotationResult | undefined }) {
  const words = MAPPING_DESCRIPTIONS[annotate];
  const newest = result?.events.filter((e) => !e.tags?.includes(LIMIT_TAG)).at(-1);
  return (
    <section aria-label="Annotation mapping" data-testid={annotationSelectors.mapping}>
      <Stack direction="column" gap={0.5}>
        <Text color="secondary" variant="bodySmall">
          Each annotation: title: {words.title} · text: {words.text} · tags: {words.tags}. No field mapping needed.
        </Text>
        {newest && (
          <div data-testid={annotationSelectors.example}>
            <Text color="secondary" variant="bodySmall">
              Newest: {newest.title} — {newest.text} — tags: {(newest.tags ?? []).join(', ')}
            </Text>
          </div>
        )}
      </Stack>
    </section>
  );
}

interface LastRunProps {
  report: RunReport | undefined;
  result: AnnotationResult | undefined;
  annotate: AnnotateMode;
  error?: string;
}

/** The run summary of a panel query (what was parsed, rejected records), then what was marked. */
function LastRun({ report, result, annotate, error }: LastRunProps) {
  const { output, ...rest } = report ?? {};
  const line = report?.state === 'done' && output ? returnedLine(output, result, annotate) : undefined;
  return (
    <Stack direction="column" gap={0.5}>
      <RunSummary report={report ? ({ ...rest, output: undefined } as RunReport) : undefined} error={error} />
      {line && (
        <div data-testid={annotationSelectors.returned} role="status">
          <Text color={line.warning ? 'warning' : 'secondary'} variant="bodySmall">
            {line.text}
          </Text>
        </div>
      )}
    </Stack>
  );
}

/** "5,321 of 10,976 entries matched → the newest 1,000 are marked (older ones are not shown)". */
export function returnedLine(
  output: NonNullable<RunReport['output']>,
  result: AnnotationResult | undefined,
  annotate: AnnotateMode
): { text: string; warning: boolean } {
  const matched = `${n(output.matched)} of ${n(output.parsed)} ${output.parsed === 1 ? 'entry' : 'entries'} matched`;
  const found = result?.found ?? 0;
  const sessions = annotate === 'sessions' ? ` → ${n(found)} ${found === 1 ? 'session' : 'sessions'}` : '';
  if (result?.cut) {
    return {
      text: `${matched}${sessions} → the newest ${n(ANNOTATION_LIMIT)} are marked; older ones are not shown (a marker at the oldest one says so). Narrow the filters or the time range to see them.`,
      warning: true,
    };
  }
  const marked = result?.events.length ?? 0;
  return {
    text: `${matched}${sessions} → ${n(marked)} ${marked === 1 ? 'annotation' : 'annotations'}`,
    warning: marked === 0,
  };
}
