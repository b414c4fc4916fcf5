import React, { useMemo, useState } from 'react';
import { EditorField, EditorFieldGroup, EditorRow } from '@grafana/plugin-ui';
import { Button, Input, Stack, type ComboboxOption } from '@grafana/ui';

import type { ComponentId } from '../parsing';
import type { FieldFilter, IotLogsQuery } from '../types';
import { FieldFilterRow } from './FieldFilterRow';
import { FilterField } from './FilterField';
import {
  componentOptions,
  eventTypeOptions,
  fieldFilterChangeRuns,
  logLevelOptions,
  statusOptions,
  withComponents,
} from './queryEditorOptions';
import { selectors } from './selectors';
import { ValueListInput } from './ValueListInput';

interface Props {
  query: IotLogsQuery;
  /** eventTypes the last run found. */
  seenEventTypes: readonly string[];
  /** Field suggestions (documented fields of the chosen types, fields of the last run). */
  fields: Array<ComboboxOption<string>>;
  /** Applies a change; `run` runs the query too. */
  onChange: (query: IotLogsQuery, run: boolean) => void;
  /** A text field lost focus: the editor runs the query if it changed since the last run. */
  onTextBlur: () => void;
}

const COMPONENT_IDS = new Set(componentOptions.map((o) => o.value));
const isComponentOrVariable = (value: string) => COMPONENT_IDS.has(value) || value.startsWith('$');

/** Which entries the query keeps: by kind, by field, by topic and by text. */
export function FilterRows({ query, seenEventTypes, fields, onChange, onTextBlur }: Props) {
  const { refId } = query;
  const eventTypes = useMemo(
    () => eventTypeOptions(query.components, seenEventTypes, query.eventTypes),
    [query.components, seenEventTypes, query.eventTypes]
  );
  return (
    <>
      <EditorRow>
        <FilterField
          id={`${refId}-components`}
          label="Component"
          tooltip="Keep entries of these AWS IoT components (all when empty), or of a dashboard variable's ($component)."
          testId={selectors.queryEditor.components}
          placeholder="All components"
          options={componentOptions}
          value={query.components}
          allowCustom
          onChange={(components) =>
            // Typed values: a variable, or a component's id; other text names no component.
            onChange(withComponents(query, components.filter(isComponentOrVariable) as ComponentId[]), true)
          }
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
          onChange={(values) => onChange({ ...query, eventTypes: values }, true)}
        />
        <FilterField
          id={`${refId}-statuses`}
          label="Status"
          tooltip="Keep entries with these statuses (all when empty)."
          testId={selectors.queryEditor.statuses}
          placeholder="Any status"
          options={statusOptions}
          value={query.statuses}
          allowCustom
          width={20}
          onChange={(statuses) => onChange({ ...query, statuses }, true)}
        />
        <FilterField
          id={`${refId}-log-levels`}
          label="Log level"
          tooltip="Keep entries with these log levels (all when empty)."
          testId={selectors.queryEditor.logLevels}
          placeholder="Any level"
          options={logLevelOptions}
          value={query.logLevels}
          allowCustom
          width={20}
          onChange={(logLevels) => onChange({ ...query, logLevels }, true)}
        />
      </EditorRow>
      <EditorRow>
        <FieldFilters query={query} fields={fields} onChange={onChange} onTextBlur={onTextBlur} />
      </EditorRow>
      <EditorRow>
        <EditorFieldGroup>
          <EditorField
            label="Topic filters"
            htmlFor={`${refId}-topic-filters`}
            tooltip="MQTT topic filters (+ one level, # the rest) matched against each entry's topics (topicName, resources.…Topic). Any of them keeps the entry."
            width={36}
          >
            <ValueListInput
              id={`${refId}-topic-filters`}
              itemName="topic filter"
              testId={selectors.queryEditor.topicFilters}
              values={query.topicFilters}
              placeholder="$aws/things/+/shadow/# (Enter to add)"
              onChange={(topicFilters) => onChange({ ...query, topicFilters }, true)}
            />
          </EditorField>
          <EditorField
            label="Search"
            htmlFor={`${refId}-search`}
            tooltip="Keep entries whose text contains this (case-insensitive)."
            width={36}
          >
            <Input
              id={`${refId}-search`}
              data-testid={selectors.queryEditor.search}
              value={query.search}
              placeholder="Text in the entry"
              onChange={(e) => onChange({ ...query, search: e.currentTarget.value }, false)}
              onBlur={onTextBlur}
            />
          </EditorField>
        </EditorFieldGroup>
      </EditorRow>
    </>
  );
}

interface FieldFiltersProps {
  query: IotLogsQuery;
  fields: Array<ComboboxOption<string>>;
  onChange: (query: IotLogsQuery, run: boolean) => void;
  onTextBlur: () => void;
}

/**
 * The field filter rows. A row being added has no field yet and the query cannot hold it (a filter
 * names a field): it is the one piece of state here, until a field is chosen.
 */
function FieldFilters({ query, fields, onChange, onTextBlur }: FieldFiltersProps) {
  const { refId, fieldFilters } = query;
  const [adding, setAdding] = useState<FieldFilter | undefined>(undefined);
  const set = (next: FieldFilter[], before: FieldFilter | undefined, after: FieldFilter | undefined) =>
    onChange({ ...query, fieldFilters: next }, fieldFilterChangeRuns(before, after));
  return (
    <EditorField
      label="Field filters"
      tooltip="Keep entries whose fields pass every one of these (AND). Values may be template variables; =~ and !~ take a regular expression."
      data-testid={selectors.queryEditor.fieldFilters}
    >
      <Stack direction="column" gap={1}>
        {fieldFilters.map((filter, i) => (
          <FieldFilterRow
            key={i}
            id={`${refId}-field-filter-${i}`}
            name={`Field filter ${i + 1}`}
            filter={filter}
            fields={fields}
            onChange={(changed) =>
              set(
                fieldFilters.map((f, j) => (j === i ? changed : f)),
                filter,
                changed
              )
            }
            onRemove={() =>
              set(
                fieldFilters.filter((_, j) => j !== i),
                filter,
                undefined
              )
            }
            onValueBlur={onTextBlur}
          />
        ))}
        {adding && (
          <FieldFilterRow
            id={`${refId}-field-filter-${fieldFilters.length}`}
            name={`Field filter ${fieldFilters.length + 1}`}
            filter={adding}
            fields={fields}
            onChange={(filter) => {
              // The row is a draft until it names a field: what is chosen before (operator, value) is kept.
              if (filter.field !== '') {
                setAdding(undefined);
                set([...fieldFilters, filter], undefined, filter);
              } else {
                setAdding(filter);
              }
            }}
            onRemove={() => setAdding(undefined)}
          />
        )}
        <div>
          <Button
            icon="plus"
            size="sm"
            variant="secondary"
            aria-label="Add field filter"
            tooltip="Add a field filter"
            disabled={adding !== undefined}
            onClick={() => setAdding({ field: '', op: '=', value: '' })}
          />
        </div>
      </Stack>
    </EditorField>
  );
}
