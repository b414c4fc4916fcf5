import React, { useEffect, useMemo, useRef } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Combobox, InlineField, InlineSwitch, RadioButtonGroup, Stack, Text, TextArea } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { migrateQuery } from '../migrations/migrateQuery';
import type { ComponentId } from '../parsing';
import type { QueryFrameMeta } from '../query/runQuery';
import {
  ignoresTimeRangeByDefault,
  type IotLogsOptions,
  type IotLogsQuery,
  type QuerySource,
  type SourceType,
} from '../types';
import { FilterField, LABEL_WIDTH } from './FilterField';
import { componentOptions, eventTypeOptions, formatOptions, statusOptions, withComponents } from './queryEditorOptions';
import { RunSummary } from './RunSummary';
import { selectors } from './selectors';
import { UploadSourceEditor } from './UploadSourceEditor';
import { UrlSourceEditor } from './UrlSourceEditor';

type Props = QueryEditorProps<DataSource, IotLogsQuery, IotLogsOptions>;

const PLACEHOLDER = `Paste AWS IoT log entries (CloudWatch log group AWSIotLogsV2) or a CloudWatch export of them, e.g.
{"timestamp": "2017-08-10 15:37:23.476", "logLevel": "INFO", "accountId": "123456789012", "status": "Success", "eventType": "Connect", "clientId": "sensor-1"}`;

const SOURCE_OPTIONS: Array<{ label: string; value: SourceType; description: string }> = [
  { label: 'Paste', value: 'inline', description: 'Entries pasted into the query' },
  { label: 'Upload', value: 'upload', description: 'A file from your computer' },
  { label: 'URL', value: 'url', description: 'A file under the base URL set in the data source' },
  { label: 'Sample', value: 'sample', description: 'A day of a small fleet, moved to the dashboard time range' },
];

function emptySource(type: SourceType): QuerySource {
  switch (type) {
    case 'upload':
      return { type: 'upload', fileName: '', size: 0 };
    case 'url':
      return { type: 'url', path: '' };
    case 'sample':
      return { type: 'sample' };
    default:
      return { type: 'inline', content: '' };
  }
}

export function QueryEditor({ query: stored, onChange, onRunQuery, data, datasource }: Props) {
  const query = useMemo(() => migrateQuery(stored), [stored]);
  const { refId, source } = query;
  // Reading a file takes a while: the upload is applied to the query as it is then, not as it was.
  const latest = useRef(query);
  useEffect(() => {
    latest.current = query;
  }, [query]);

  // What the last run of this query returned: its parse summary and the eventTypes it found.
  const lastRun = useMemo(() => {
    const frames = (data?.series ?? []).filter((f) => f.refId === refId);
    const meta = frames.map((f) => f.meta?.custom as QueryFrameMeta | undefined).find((m) => m?.parse);
    const seen = frames
      .map((f) => f.name)
      .filter((name): name is string => !!name && name !== 'No entries' && name !== 'Parsing');
    const progress = frames
      .map((f) => (f.meta?.custom as { progress?: number } | undefined)?.progress)
      .find((p) => p !== undefined);
    return { meta, seen, progress: data?.state === 'Loading' ? progress : undefined };
  }, [data, refId]);

  const eventTypes = useMemo(
    () => eventTypeOptions(query.components, lastRun.seen, query.eventTypes),
    [query.components, lastRun.seen, query.eventTypes]
  );

  const change = (next: IotLogsQuery, run = true) => {
    onChange(next);
    if (run) {
      onRunQuery();
    }
  };

  const changeSourceType = (type: SourceType) => {
    if (type !== source.type) {
      // Each source starts empty, with its own time range default; upload and paste wait for input.
      change(
        { ...query, source: emptySource(type), ignoreTimeRange: ignoresTimeRangeByDefault(type) },
        type === 'sample'
      );
    }
  };

  return (
    <Stack direction="column" gap={1}>
      <InlineField label="Source" labelWidth={LABEL_WIDTH} tooltip="Where the AWS IoT log entries come from.">
        <RadioButtonGroup
          aria-label="Source"
          data-testid={selectors.queryEditor.source}
          options={SOURCE_OPTIONS}
          value={source.type}
          onChange={changeSourceType}
        />
      </InlineField>

      {source.type === 'inline' && (
        <InlineField
          label="Log entries"
          labelWidth={LABEL_WIDTH}
          grow
          htmlFor={`${refId}-content`}
          tooltip="AWS IoT log entries as JSON (one per line, pretty-printed, concatenated or in an array), or any CloudWatch export of them. The query runs when the text area loses focus."
        >
          <TextArea
            id={`${refId}-content`}
            data-testid={selectors.queryEditor.content}
            value={source.content}
            rows={8}
            placeholder={PLACEHOLDER}
            spellCheck={false}
            onChange={(e) => change({ ...query, source: { type: 'inline', content: e.currentTarget.value } }, false)}
            onBlur={() => onRunQuery()}
          />
        </InlineField>
      )}
      {source.type === 'upload' && (
        <UploadSourceEditor
          source={source.fileName ? source : undefined}
          maxStoredBytes={datasource.maxStoredBytes}
          store={datasource.sessions}
          onUpload={(upload) => change({ ...latest.current, source: upload })}
        />
      )}
      {source.type === 'url' && (
        <UrlSourceEditor
          id={`${refId}-url-path`}
          source={source}
          baseUrl={datasource.baseUrl}
          onChange={(url) => change({ ...query, source: url }, false)}
          onRun={onRunQuery}
        />
      )}
      {source.type === 'sample' && (
        <Text color="secondary" variant="bodySmall">
          A day of a small fleet (pumps, gateways, sensors) across every component, with failures, throttling, a
          reconnect storm and a firmware job, moved so that it ends at the end of the time range.
        </Text>
      )}

      <Stack direction="row" gap={1} wrap="wrap">
        <InlineField
          label="Format"
          labelWidth={LABEL_WIDTH}
          htmlFor={`${refId}-format`}
          tooltip="How the input is laid out. Auto-detect reads every format AWS exports; choose one to override."
        >
          <Combobox
            id={`${refId}-format`}
            data-testid={selectors.queryEditor.format}
            options={formatOptions}
            value={query.format}
            width={44}
            onChange={(option) => change({ ...query, format: option.value as IotLogsQuery['format'] })}
          />
        </InlineField>
        <InlineField
          label="Ignore time range"
          labelWidth={LABEL_WIDTH + 4}
          htmlFor={`${refId}-ignore-time-range`}
          tooltip="Show every entry, whatever the dashboard's time range (the default for pasted and uploaded files, which are usually older)."
        >
          <InlineSwitch
            id={`${refId}-ignore-time-range`}
            data-testid={selectors.queryEditor.ignoreTimeRange}
            value={query.ignoreTimeRange}
            onChange={(e) => change({ ...query, ignoreTimeRange: e.currentTarget.checked })}
          />
        </InlineField>
      </Stack>

      <Stack direction="row" gap={1} wrap="wrap">
        <FilterField
          id={`${refId}-components`}
          label="Component"
          tooltip="Keep entries of these AWS IoT components (all when empty)."
          testId={selectors.queryEditor.components}
          placeholder="All components"
          options={componentOptions}
          value={query.components}
          onChange={(components) => change(withComponents(query, components as ComponentId[]))}
        />
        <FilterField
          id={`${refId}-event-types`}
          label="Event type"
          tooltip="Keep entries of these eventTypes (all when empty). The list follows the chosen components."
          testId={selectors.queryEditor.eventTypes}
          placeholder="All event types"
          options={eventTypes}
          value={query.eventTypes}
          allowCustom
          onChange={(eventTypes) => change({ ...query, eventTypes })}
        />
        <FilterField
          id={`${refId}-statuses`}
          label="Status"
          tooltip="Keep entries with these statuses (all when empty)."
          testId={selectors.queryEditor.statuses}
          placeholder="Any status"
          options={statusOptions}
          value={query.statuses}
          onChange={(statuses) => change({ ...query, statuses })}
        />
      </Stack>
      <RunSummary meta={lastRun.meta} progress={lastRun.progress} />
    </Stack>
  );
}
