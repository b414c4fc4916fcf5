import React, { useMemo } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { InlineField, MultiCombobox, Stack, TextArea, type ComboboxOption } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { migrateQuery } from '../migrations/migrateQuery';
import type { ComponentId } from '../parsing';
import type { QueryFrameMeta } from '../query/runQuery';
import type { IotLogsOptions, IotLogsQuery } from '../types';
import { componentOptions, eventTypeOptions, statusOptions, withComponents } from './queryEditorOptions';
import { RunSummary } from './RunSummary';
import { selectors } from './selectors';

type Props = QueryEditorProps<DataSource, IotLogsQuery, IotLogsOptions>;

const PLACEHOLDER = `Paste AWS IoT log entries (CloudWatch log group AWSIotLogsV2), e.g.
{"timestamp": "2017-08-10 15:37:23.476", "logLevel": "INFO", "accountId": "123456789012", "status": "Success", "eventType": "Connect", "clientId": "sensor-1"}`;

const LABEL_WIDTH = 14;

const values = (options: Array<ComboboxOption<string>>) => options.map((o) => o.value);

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
        <InlineField
          label="Component"
          labelWidth={LABEL_WIDTH}
          htmlFor={`${query.refId}-components`}
          tooltip="Keep entries of these AWS IoT components (all when empty)."
        >
          <MultiCombobox
            id={`${query.refId}-components`}
            data-testid={selectors.queryEditor.components}
            options={componentOptions}
            value={query.components}
            placeholder="All components"
            width="auto"
            minWidth={20}
            onChange={(options) => change(withComponents(query, values(options) as ComponentId[]))}
          />
        </InlineField>
        <InlineField
          label="Event type"
          labelWidth={LABEL_WIDTH}
          htmlFor={`${query.refId}-event-types`}
          tooltip="Keep entries of these eventTypes (all when empty). The list follows the chosen components."
        >
          <MultiCombobox
            id={`${query.refId}-event-types`}
            data-testid={selectors.queryEditor.eventTypes}
            options={eventTypes}
            value={query.eventTypes}
            placeholder="All event types"
            width="auto"
            minWidth={20}
            createCustomValue
            onChange={(options) => change({ ...query, eventTypes: values(options) })}
          />
        </InlineField>
        <InlineField
          label="Status"
          labelWidth={LABEL_WIDTH}
          htmlFor={`${query.refId}-statuses`}
          tooltip="Keep entries with these statuses (all when empty)."
        >
          <MultiCombobox
            id={`${query.refId}-statuses`}
            data-testid={selectors.queryEditor.statuses}
            options={statusOptions}
            value={query.statuses}
            placeholder="Any status"
            width="auto"
            minWidth={16}
            onChange={(options) => change({ ...query, statuses: values(options) })}
          />
        </InlineField>
      </Stack>
      <RunSummary meta={lastRun.meta} />
    </Stack>
  );
}
