import React from 'react';
import { EditorField, EditorFieldGroup, EditorRow, EditorSwitch } from '@grafana/plugin-ui';
import { Combobox, Input, MultiCombobox, RadioButtonGroup, Text, type ComboboxOption } from '@grafana/ui';

import { BEHAVIOUR_METRICS, DEFAULT_SERIES_METRIC } from '../output/behaviour';
import { DEFAULT_THRESHOLDS, THRESHOLD_NAMES } from '../output/findings';
import type { IotLogsQuery, Metric } from '../types';
import { limitFromText, metricOptions, withOption } from './queryEditorOptions';
import { selectors } from './selectors';

interface Props {
  query: IotLogsQuery;
  /** Group by suggestions. */
  groupByFields: Array<ComboboxOption<string>>;
  /** Field suggestions for distinct. */
  fields: Array<ComboboxOption<string>>;
  onChange: (query: IotLogsQuery, run: boolean) => void;
  onTextBlur: () => void;
}

const EXPLANATIONS: Partial<Record<IotLogsQuery['output'], string>> = {
  sessions:
    'One row per MQTT session of a client, paired from its Connect and Disconnect entries: start, end, duration and why it ended. Nothing to set.',
};

/** The query's `limit`, whose meaning (log lines, series, rows) the label and tooltip say. */
function LimitField({
  query,
  label,
  tooltip,
  placeholder,
  onChange,
  onTextBlur,
}: Pick<Props, 'query' | 'onChange' | 'onTextBlur'> & { label: string; tooltip: string; placeholder: string }) {
  const id = `${query.refId}-limit`;
  return (
    <EditorField label={label} htmlFor={id} tooltip={tooltip}>
      <Input
        id={id}
        data-testid={selectors.queryEditor.limit}
        type="number"
        min={1}
        step={1}
        value={query.limit ?? ''}
        placeholder={placeholder}
        width={14}
        onChange={(e) => onChange(withOption(query, 'limit', limitFromText(e.currentTarget.value)), false)}
        onBlur={onTextBlur}
      />
    </EditorField>
  );
}

/** A fixed interval for time series, or the panel's. */
function IntervalField({ query, onChange, onTextBlur }: Pick<Props, 'query' | 'onChange' | 'onTextBlur'>) {
  const id = `${query.refId}-interval`;
  return (
    <EditorField
      label="Interval"
      htmlFor={id}
      tooltip="A fixed interval such as 30s, 5m or 1h. Empty follows the panel's interval."
    >
      <Input
        id={id}
        data-testid={selectors.queryEditor.interval}
        value={query.interval ?? ''}
        placeholder="auto"
        width={12}
        onChange={(e) => onChange(withOption(query, 'interval', e.currentTarget.value.trim()), false)}
        onBlur={onTextBlur}
      />
    </EditorField>
  );
}

/** The options of the chosen output mode. */
export function OutputOptions({ query, groupByFields, fields, onChange, onTextBlur }: Props) {
  const { refId, output } = query;
  const explanation = EXPLANATIONS[output];
  if (explanation) {
    return (
      <EditorRow>
        <Text color="secondary" variant="bodySmall">
          {explanation}
        </Text>
      </EditorRow>
    );
  }
  if (output === 'logs') {
    return (
      <EditorRow>
        <LimitField
          query={query}
          label="Line limit"
          tooltip="Most log lines, the newest first. Default 10,000 (as CloudWatch Logs Insights); a notice says how many were left out."
          placeholder="10000"
          onChange={onChange}
          onTextBlur={onTextBlur}
        />
        <Text color="secondary" variant="bodySmall">
          One log line per entry, one frame per eventType, for the logs panel and Explore.
        </Text>
      </EditorRow>
    );
  }
  if (output === 'table') {
    return (
      <EditorRow>
        <EditorField
          label="Combine tables"
          htmlFor={`${refId}-combine-tables`}
          tooltip="One table across the selected eventTypes (common columns first) instead of one table per eventType."
        >
          <EditorSwitch
            id={`${refId}-combine-tables`}
            data-testid={selectors.queryEditor.combineTables}
            value={query.combineTables ?? false}
            onChange={(e) => onChange(withOption(query, 'combineTables', e.currentTarget.checked || undefined), true)}
          />
        </EditorField>
      </EditorRow>
    );
  }
  if (output === 'findings') {
    return <FindingsOptions query={query} onChange={onChange} />;
  }
  if (output === 'behaviour') {
    return <BehaviourOptions query={query} onChange={onChange} onTextBlur={onTextBlur} />;
  }
  const timeseries = output === 'timeseries';
  return (
    <EditorRow>
      <EditorFieldGroup>
        <EditorField
          label="Group by"
          htmlFor={`${refId}-group-by`}
          tooltip={
            timeseries
              ? 'One series per combination of these fields’ values; none gives one series.'
              : 'One row per combination of these fields’ values (eventType when none).'
          }
          width={36}
        >
          <MultiCombobox
            id={`${refId}-group-by`}
            data-testid={selectors.queryEditor.groupBy}
            options={groupByFields}
            value={query.groupBy}
            placeholder={timeseries ? 'One series' : 'eventType'}
            createCustomValue
            onChange={(selected) => onChange({ ...query, groupBy: selected.map((o) => o.value) }, true)}
          />
        </EditorField>
        <EditorField label="Metric" htmlFor={`${refId}-metric`} tooltip="Count entries, or distinct values of a field.">
          <Combobox
            id={`${refId}-metric`}
            data-testid={selectors.queryEditor.metric}
            options={metricOptions}
            value={query.metric}
            width={16}
            onChange={(option) => {
              const metric = option.value as Metric;
              onChange({ ...query, metric }, metric === 'count' || query.metricField !== undefined);
            }}
          />
        </EditorField>
        {query.metric === 'distinct' && (
          <EditorField
            label="Distinct field"
            htmlFor={`${refId}-metric-field`}
            tooltip="The field whose distinct values are counted."
          >
            <Combobox
              id={`${refId}-metric-field`}
              data-testid={selectors.queryEditor.metricField}
              options={fields}
              value={query.metricField ?? null}
              placeholder="clientId"
              createCustomValue
              width="auto"
              minWidth={16}
              onChange={(option) => onChange(withOption(query, 'metricField', option.value), true)}
            />
          </EditorField>
        )}
      </EditorFieldGroup>
      <EditorFieldGroup>
        {timeseries && <IntervalField query={query} onChange={onChange} onTextBlur={onTextBlur} />}
        <LimitField
          query={query}
          label={timeseries ? 'Series limit' : 'Row limit'}
          tooltip={
            timeseries
              ? 'Most series; the rest are summed into one series, other. Default 10.'
              : 'Most rows, largest counts first. Default 10.'
          }
          placeholder="10"
          onChange={onChange}
          onTextBlur={onTextBlur}
        />
      </EditorFieldGroup>
    </EditorRow>
  );
}

const BEHAVIOUR_VIEW_OPTIONS = [
  { value: 'table' as const, label: 'Table', description: 'One row per device, and the fleet median and p90' },
  { value: 'series' as const, label: 'Time series', description: 'One metric per interval for the top devices' },
];

const BEHAVIOUR_METRIC_OPTIONS: Array<ComboboxOption<string>> = BEHAVIOUR_METRICS.map((m) => ({
  value: m.name,
  label: m.name,
  description: `${m.description} (needs ${m.level})`,
}));

/** The behaviour output: table or time series, and the series' metric, interval and device limit. */
function BehaviourOptions({ query, onChange, onTextBlur }: Pick<Props, 'query' | 'onChange' | 'onTextBlur'>) {
  const { refId } = query;
  const view = query.behaviourView ?? 'table';
  return (
    <EditorRow>
      <EditorFieldGroup>
        <EditorField label="View" tooltip="A table of devices, or one metric over time for the top devices.">
          <RadioButtonGroup
            size="sm"
            options={BEHAVIOUR_VIEW_OPTIONS}
            value={view}
            onChange={(v) => onChange(withOption(query, 'behaviourView', v === 'table' ? undefined : v), true)}
          />
        </EditorField>
        {view === 'series' && (
          <EditorField
            label="Metric"
            htmlFor={`${refId}-behaviour-metric`}
            tooltip="What each device's series counts (disconnects_<REASON> for one disconnect reason)."
          >
            <Combobox
              id={`${refId}-behaviour-metric`}
              data-testid={selectors.queryEditor.metricField}
              options={BEHAVIOUR_METRIC_OPTIONS}
              value={query.metricField ?? DEFAULT_SERIES_METRIC}
              createCustomValue
              width="auto"
              minWidth={20}
              onChange={(option) => onChange(withOption(query, 'metricField', option.value), true)}
            />
          </EditorField>
        )}
      </EditorFieldGroup>
      {view === 'series' && (
        <EditorFieldGroup>
          <IntervalField query={query} onChange={onChange} onTextBlur={onTextBlur} />
          <LimitField
            query={query}
            label="Devices"
            tooltip="The devices with the most of the metric. Default 10."
            placeholder="10"
            onChange={onChange}
            onTextBlur={onTextBlur}
          />
        </EditorFieldGroup>
      )}
    </EditorRow>
  );
}

/** `name=value, …` of the query's thresholds. */
export function thresholdsText(thresholds: IotLogsQuery['thresholds']): string {
  return Object.entries(thresholds ?? {})
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
}

/** Thresholds as typed (`stormConnects=20, waveDevices=8`): known names with numbers ≥ 0; the rest is named back. */
export function thresholdsFromText(text: string): { thresholds?: Record<string, number>; unknown: string[] } {
  const thresholds: Record<string, number> = {};
  const unknown: string[] = [];
  for (const part of text.split(/[,;\n]/)) {
    const pieces = part.split('=').map((x) => x.trim());
    const [name, value] = pieces;
    if (!name && pieces.length === 1) {
      continue;
    }
    const n = Number(value);
    const valid = pieces.length === 2 && value !== '' && Number.isFinite(n) && n >= 0;
    if ((THRESHOLD_NAMES as readonly string[]).includes(name) && valid) {
      thresholds[name] = n;
    } else {
      unknown.push(part.trim());
    }
  }
  return { thresholds: Object.keys(thresholds).length > 0 ? thresholds : undefined, unknown };
}

/** The findings output (and annotations of findings): thresholds that replace the defaults. */
export function FindingsOptions<Q extends IotLogsQuery>({
  query,
  onChange,
}: {
  query: Q;
  onChange: (query: Q, run: boolean) => void;
}) {
  const id = `${query.refId}-thresholds`;
  const [unknown, setUnknown] = React.useState<string[]>([]);
  const defaults = THRESHOLD_NAMES.map((name) => `${name}=${DEFAULT_THRESHOLDS[name]}`).join(', ');
  return (
    <EditorRow>
      <EditorField
        label="Thresholds"
        htmlFor={id}
        tooltip={`Replace default thresholds, as name=value pairs separated by commas. Defaults: ${defaults}.`}
        invalid={unknown.length > 0}
        error={unknown.length > 0 ? `Not a threshold or not a number ≥ 0: ${unknown.join(', ')}` : undefined}
      >
        <Input
          id={id}
          key={thresholdsText(query.thresholds)}
          defaultValue={thresholdsText(query.thresholds)}
          placeholder="stormConnects=10, waveDevices=5"
          width={60}
          onBlur={(e) => {
            const parsed = thresholdsFromText(e.currentTarget.value);
            setUnknown(parsed.unknown);
            onChange(withOption(query, 'thresholds', parsed.thresholds) as Q, true);
          }}
        />
      </EditorField>
      <Text color="secondary" variant="bodySmall">
        Ranked findings, each with the threshold it crossed; its evidence opens its entries in Explore.
      </Text>
    </EditorRow>
  );
}
