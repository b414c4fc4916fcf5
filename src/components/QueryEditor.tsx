import React, { useMemo } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { InlineField, Stack, TextArea } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { migrateQuery } from '../migrations/migrateQuery';
import type { ComponentId } from '../parsing';
import type { QueryFrameMeta } from '../query/runQuery';
import type { IotLogsOptions, IotLogsQuery } from '../types';
import { FilterField, LABEL_WIDTH } from './FilterField';
import { componentOptions, eventTypeOptions, statusOptions, withComponents } from './queryEditorOptions';
import { RunSummary } from './RunSummary';
import { selectors } from './selectors';

type Props = QueryEditorProps<DataSource, IotLogsQuery, IotLogsOptions>;

const PLACEHOLDER = `Paste AWS IoT log entries (CloudWatch log group AWSIotLogsV2), e.g.
{"timestamp": "2017-08-10 15:37:23.476", "logLevel": "INFO", "accountId": "123456789012", "status": "Success", "eventType": "Connect", "clientId": "sensor-1"}`;

export function QueryEditor({ query: stored, onChange, onRunQuery, data }: Props) {
  const query = useMemo(() => migrateQuery(stored), [stored]);

  // What the last run of this query returned: its parse summary and the eventTypes it found.
  const lastRun = useMemo(() => {
    const frames = (data?.series ?? []).filter((f) => f.refId === query.refId);
    const meta = frames.map((f) => f.meta?.custom as QueryFrameMeta | undefined).find((m) => m?.parse);
    const seen = frames.map((f) => f.name).filter((name): name is string => !!name && name !== 'No entries');
    return { meta, seen };
  }, [data, query.refId]);

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

  return (
    <Stack direction="column" gap={1}>
      <InlineField
        label="Log entries"
        labelWidth={LABEL_WIDTH}
        grow
        htmlFor={`${query.refId}-content`}
        tooltip="AWS IoT log entries as JSON: one per line, pretty-printed, concatenated or in a JSON array. The query runs when the text area loses focus."
      >
        <TextArea
          id={`${query.refId}-content`}
          data-testid={selectors.queryEditor.content}
          value={query.source.content}
          rows={8}
          placeholder={PLACEHOLDER}
          spellCheck={false}
          onChange={(e) => change({ ...query, source: { type: 'inline', content: e.currentTarget.value } }, false)}
          onBlur={() => onRunQuery()}
        />
      </InlineField>
      <Stack direction="row" gap={1} wrap="wrap">
        <FilterField
          id={`${query.refId}-components`}
          label="Component"
          tooltip="Keep entries of these AWS IoT components (all when empty)."
          testId={selectors.queryEditor.components}
          placeholder="All components"
          options={componentOptions}
          value={query.components}
          onChange={(components) => change(withComponents(query, components as ComponentId[]))}
        />
        <FilterField
          id={`${query.refId}-event-types`}
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
          id={`${query.refId}-statuses`}
          label="Status"
          tooltip="Keep entries with these statuses (all when empty)."
          testId={selectors.queryEditor.statuses}
          placeholder="Any status"
          options={statusOptions}
          value={query.statuses}
          onChange={(statuses) => change({ ...query, statuses })}
        />
      </Stack>
      <RunSummary meta={lastRun.meta} />
    </Stack>
  );
}
