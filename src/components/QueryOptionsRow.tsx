import React from 'react';
import { EditorField, EditorRow, EditorSwitch, QueryOptionGroup } from '@grafana/plugin-ui';
import { Combobox } from '@grafana/ui';

import type { IotLogsQuery } from '../types';
import { optionsSummary } from './lastRun';
import { formatOptions } from './queryEditorOptions';
import { selectors } from './selectors';

interface Props {
  query: IotLogsQuery;
  onChange: (query: IotLogsQuery, run: boolean) => void;
}

/** Options most queries leave alone, collapsed; the collapsed row says what is set. */
export function QueryOptionsRow({ query, onChange }: Props) {
  const { refId } = query;
  return (
    <EditorRow>
      <QueryOptionGroup title="Options" collapsedInfo={optionsSummary(query)}>
        <EditorField
          label="Format"
          htmlFor={`${refId}-format`}
          tooltip="How the input is laid out. Auto-detect reads every format AWS exports; choose one to override."
        >
          <Combobox
            id={`${refId}-format`}
            data-testid={selectors.queryEditor.format}
            options={formatOptions}
            value={query.format}
            width={44}
            onChange={(option) => onChange({ ...query, format: option.value as IotLogsQuery['format'] }, true)}
          />
        </EditorField>
        <EditorField
          label="Ignore time range"
          htmlFor={`${refId}-ignore-time-range`}
          tooltip="Show every entry, whatever the dashboard's time range (the default for pasted and uploaded files, which are usually older)."
        >
          <EditorSwitch
            id={`${refId}-ignore-time-range`}
            data-testid={selectors.queryEditor.ignoreTimeRange}
            value={query.ignoreTimeRange}
            onChange={(e) => onChange({ ...query, ignoreTimeRange: e.currentTarget.checked }, true)}
          />
        </EditorField>
      </QueryOptionGroup>
    </EditorRow>
  );
}
