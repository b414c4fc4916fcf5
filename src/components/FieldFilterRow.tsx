import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { InputGroup } from '@grafana/plugin-ui';
import { Combobox, IconButton, Input, useStyles2, type ComboboxOption } from '@grafana/ui';

import type { FieldFilter, FilterOperator } from '../types';
import { operatorOptions, operatorTakesValue, valuePlaceholder, withOperator } from './queryEditorOptions';
import { srOnly } from './styles';

interface Props {
  id: string;
  /** The row's name for assistive technology: "Field filter 2". */
  name: string;
  filter: FieldFilter;
  fields: Array<ComboboxOption<string>>;
  onChange: (filter: FieldFilter) => void;
  onRemove: () => void;
  /** The value input lost focus (the editor runs the query if it changed). */
  onValueBlur?: () => void;
}

/** field / operator / value, and a remove button; no value for exists and missing. */
export function FieldFilterRow({ id, name, filter, fields, onChange, onRemove, onValueBlur }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div role="group" aria-label={name} className={styles.row}>
      {/* The layout shows what each control is; screen readers hear these names. */}
      <span id={`${id}-field-label`} className={srOnly}>
        Field
      </span>
      <span id={`${id}-op-label`} className={srOnly}>
        Operator
      </span>
      <InputGroup>
        <Combobox
          id={`${id}-field`}
          aria-labelledby={`${id}-field-label`}
          options={fields}
          value={filter.field === '' ? null : filter.field}
          placeholder="Choose a field"
          createCustomValue
          customValueDescription="A field not in the list"
          width="auto"
          minWidth={18}
          onChange={(option) => onChange({ ...filter, field: option.value })}
        />
        <Combobox
          id={`${id}-op`}
          aria-labelledby={`${id}-op-label`}
          options={operatorOptions}
          value={filter.op}
          width={11}
          onChange={(option) => onChange(withOperator(filter, option.value as FilterOperator))}
        />
        {operatorTakesValue(filter.op) ? (
          <Input
            id={`${id}-value`}
            aria-label="Value"
            value={filter.value ?? ''}
            placeholder={valuePlaceholder(filter.op)}
            width={28}
            onChange={(e) => onChange({ ...filter, value: e.currentTarget.value })}
            onBlur={onValueBlur}
          />
        ) : undefined}
      </InputGroup>
      <IconButton name="times" aria-label={`Remove ${name.toLowerCase()}`} onClick={onRemove} />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1) }),
});
