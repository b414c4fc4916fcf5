import React from 'react';
import { InlineField, MultiCombobox, type ComboboxOption } from '@grafana/ui';

export const LABEL_WIDTH = 14;

interface Props {
  id: string;
  label: string;
  tooltip: string;
  testId: string;
  placeholder: string;
  options: Array<ComboboxOption<string>>;
  value: string[];
  onChange: (values: string[]) => void;
  /** Allow values not in the list (template variables, undocumented event types). */
  allowCustom?: boolean;
}

/** A labelled multi-select of filter values. */
export function FilterField({ id, label, tooltip, testId, placeholder, options, value, onChange, allowCustom }: Props) {
  return (
    <InlineField label={label} labelWidth={LABEL_WIDTH} htmlFor={id} tooltip={tooltip}>
      <MultiCombobox
        id={id}
        data-testid={testId}
        options={options}
        value={value}
        placeholder={placeholder}
        width="auto"
        minWidth={20}
        createCustomValue={allowCustom}
        onChange={(selected) => onChange(selected.map((o) => o.value))}
      />
    </InlineField>
  );
}
