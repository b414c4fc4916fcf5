import React, { useEffect, useMemo, useState } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { EditorField, EditorFieldGroup, EditorRow, EditorRows, EditorSwitch } from '@grafana/plugin-ui';
import { Combobox, RadioButtonGroup, type ComboboxOption } from '@grafana/ui';

import { FilterRows } from '../components/FilterRows';
import { QueryOptionsRow } from '../components/QueryOptionsRow';
import { fieldOptions } from '../components/queryEditorOptions';
import { SourceInput } from '../components/SourceInput';
import { clearedSource, hasInput, switchSource } from '../components/sourceSwitch';
import type { TableResult } from '../parsing';
import { TABLE_FIELDS } from '../parsing/table';
import { SOURCE_TYPES, sourceKind } from '../sources';
import type { IotLogsOptions, IotLogsQuery, SourceType } from '../types';
import { variableSelectors } from './selectors';
import type { VariableDataSource } from './types';
import {
  asLogsQuery,
  migrateVariableQuery,
  VARIABLE_VALUES,
  VARIABLE_VALUES_LABELS,
  withLogsQuery,
  withValues,
  type IotLogsVariableQuery,
  type VariableSort,
  type VariableValues,
} from './variableQuery';

type Props = QueryEditorProps<VariableDataSource, IotLogsQuery, IotLogsOptions, IotLogsVariableQuery>;

const SOURCE_OPTIONS = SOURCE_TYPES.map((type) => {
  const { label, description } = sourceKind(type);
  return { label, value: type, description };
});

const VALUES_OPTIONS: Array<ComboboxOption<string>> = VARIABLE_VALUES.map((value) => ({
  value,
  ...VARIABLE_VALUES_LABELS[value],
}));

const SORT_OPTIONS: Array<{ value: VariableSort; label: string; description: string }> = [
  { value: 'count', label: 'Most frequent first', description: 'Values with the most entries first' },
  { value: 'name', label: 'By name', description: 'Alphabetically, numbers in names read as numbers' },
];

const NONE: readonly string[] = [];

/**
 * The editor of a query variable: where the entries come from, what to list, which entries to read
 * (the query editor's filters; values may be other variables, which chains variables) and how to list.
 * The stored query may be of any shape (a string of an old dashboard): it is read through
 * migrateVariableQuery.
 *
 * Grafana runs the variable query on every change it is handed. Text being typed (a URL path, a
 * search, a filter value) is held here until the input is left or Shift+Enter is pressed, as the query
 * editor runs a query then: the stored query stays what Grafana has, the draft is only what is typed.
 */
export function VariableQueryEditor({ query: stored, onChange, datasource, range }: Props) {
  const committed = useMemo(() => migrateVariableQuery(stored), [stored]);
  const [draft, setDraft] = useState<IotLogsVariableQuery | undefined>(undefined);
  const query = draft ?? committed;
  const { refId } = query;
  const logs = asLogsQuery(query);

  const change = (next: IotLogsVariableQuery, run: boolean) => {
    if (run) {
      setDraft(undefined);
      onChange(next);
    } else {
      setDraft(next);
    }
  };
  const commit = () => {
    if (draft) {
      setDraft(undefined);
      onChange(draft);
    }
  };
  const changeLogs = (next: IotLogsQuery, run: boolean) => change(withLogsQuery(query, next), run);

  const seen = useSeen(datasource, committed, range?.to.valueOf());
  const seenEventTypes = useMemo(() => seen?.tables.map((t) => t.eventType) ?? NONE, [seen]);
  const seenFields = useMemo(() => fieldsOf(seen), [seen]);
  const fields = useMemo(
    () => fieldOptions({ components: query.components, eventTypes: query.eventTypes }, seenFields, [query.field ?? '']),
    [query.components, query.eventTypes, query.field, seenFields]
  );

  const onSource = (type: SourceType) => {
    if (type !== query.source.type) {
      const switched = switchSource(logs, type);
      change(withLogsQuery(query, switched), true);
    }
  };

  return (
    <div
      data-testid={variableSelectors.editor}
      onKeyDown={(e) => {
        // Shift+Enter in a text field runs the variable query with what is typed.
        const target = e.target as HTMLElement;
        if (e.key === 'Enter' && e.shiftKey && (target.tagName === 'TEXTAREA' || target.tagName === 'INPUT')) {
          e.preventDefault();
          commit();
        }
      }}
    >
      <EditorRows>
        <EditorRow>
          <EditorField label="Source" tooltip="Where the entries whose values the variable lists come from.">
            <div role="radiogroup" aria-label="Source" data-testid={variableSelectors.source}>
              <RadioButtonGroup size="sm" options={SOURCE_OPTIONS} value={query.source.type} onChange={onSource} />
            </div>
          </EditorField>
        </EditorRow>
        <EditorRow>
          <SourceInput
            refId={refId}
            source={query.source}
            datasource={datasource}
            explore={false}
            onChange={(source, run) => change({ ...query, source }, run)}
            onClear={() => change({ ...query, source: clearedSource(query.source) }, true)}
            onBlur={commit}
          />
        </EditorRow>
        <EditorRow>
          <EditorFieldGroup>
            <EditorField
              label="Values of"
              htmlFor={`${refId}-values`}
              tooltip="What the variable lists: the distinct values found in the entries the filters keep."
            >
              <Combobox
                id={`${refId}-values`}
                data-testid={variableSelectors.values}
                options={VALUES_OPTIONS}
                value={query.values}
                width={28}
                onChange={(option) => change(withValues(query, option.value as VariableValues), true)}
              />
            </EditorField>
            {query.values === 'field' && (
              <EditorField
                label="Field"
                htmlFor={`${refId}-field`}
                tooltip="Any field: documented ones, those found in the entries, or one you type (resources.RepublishTopic). May be a template variable."
                invalid={(query.field ?? '') === ''}
                error="Choose a field."
              >
                <Combobox
                  id={`${refId}-field`}
                  data-testid={variableSelectors.field}
                  options={fields}
                  value={query.field ?? ''}
                  placeholder="clientId"
                  createCustomValue
                  width={32}
                  onChange={(option) => change({ ...query, field: option.value }, true)}
                />
              </EditorField>
            )}
            <EditorField label="Sort" tooltip="The order of the values (Grafana's own sort option may reorder them).">
              <div role="radiogroup" aria-label="Sort" data-testid={variableSelectors.sort}>
                <RadioButtonGroup
                  size="sm"
                  options={SORT_OPTIONS}
                  value={query.sort}
                  onChange={(sort) => change({ ...query, sort }, true)}
                />
              </div>
            </EditorField>
            <EditorField
              label="Show counts"
              htmlFor={`${refId}-show-counts`}
              tooltip='Show the number of entries of each value in its text ("sensor-1 (42)"); the value stays "sensor-1".'
            >
              <EditorSwitch
                id={`${refId}-show-counts`}
                data-testid={variableSelectors.showCounts}
                value={query.showCounts}
                onChange={(e) => change({ ...query, showCounts: e.currentTarget.checked }, true)}
              />
            </EditorField>
          </EditorFieldGroup>
        </EditorRow>
        <FilterRows
          query={logs}
          seenEventTypes={seenEventTypes}
          fields={fields}
          onChange={changeLogs}
          onTextBlur={commit}
        />
        <QueryOptionsRow query={logs} onChange={changeLogs} />
      </EditorRows>
    </div>
  );
}

/**
 * The parse of the stored query's source (the data source's cached parse), for suggestions: the event
 * types and fields it holds. Read again only when the source, its format or the range's end change;
 * a source that cannot be read suggests nothing (the variable's own run reports why).
 */
function useSeen(datasource: VariableDataSource, query: IotLogsVariableQuery, rangeTo: number | undefined) {
  // The key is the source itself (pasted text compared as text): computed when the stored query changes.
  const key = useMemo(() => JSON.stringify([query.source, query.format]), [query.source, query.format]);
  const [seen, setSeen] = useState<{ key: string; result: TableResult }>();
  useEffect(() => {
    const [source, format] = JSON.parse(key) as [IotLogsQuery['source'], IotLogsQuery['format']];
    if (!hasInput(source)) {
      return;
    }
    const controller = new AbortController();
    datasource.parse({ source, format }, { rangeTo, signal: controller.signal }).then(
      (result) => {
        if (!controller.signal.aborted) {
          setSeen({ key, result });
        }
      },
      () => undefined
    );
    return () => controller.abort();
  }, [datasource, key, rangeTo]);
  return seen?.key === key ? seen.result : undefined;
}

/** Every field of a parse (table fields and columns), sorted. */
function fieldsOf(result: TableResult | undefined): readonly string[] {
  if (!result) {
    return NONE;
  }
  const names = new Set<string>(TABLE_FIELDS);
  for (const table of result.tables) {
    for (const column of table.columns) {
      names.add(column.name);
    }
  }
  return [...names].sort();
}
