import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { EditorField } from '@grafana/plugin-ui';
import { Button, IconButton, MultiCombobox, useStyles2, type ComboboxOption } from '@grafana/ui';

import { selectors } from './selectors';
import { getChipStyles } from './styles';

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
  width?: number;
}

/**
 * A labelled multi-select of filter values. The select shows the values that fit; with two or more, a
 * "n chosen" toggle lists every one of them (with a remove button each), by mouse or keyboard.
 */
export function FilterField({
  id,
  label,
  tooltip,
  testId,
  placeholder,
  options,
  value,
  onChange,
  allowCustom,
  width = 32,
}: Props) {
  return (
    <EditorField label={label} tooltip={tooltip} htmlFor={id} width={width}>
      <div>
        <MultiCombobox
          id={id}
          data-testid={testId}
          options={options}
          value={value}
          placeholder={placeholder}
          createCustomValue={allowCustom}
          onChange={(selected) => onChange(selected.map((o) => o.value))}
        />
        {value.length > 1 && (
          <ChosenValues
            label={label}
            values={value}
            labelOf={(v) => options.find((o) => o.value === v)?.label ?? v}
            onRemove={(v) => onChange(value.filter((x) => x !== v))}
          />
        )}
      </div>
    </EditorField>
  );
}

interface ChosenProps {
  label: string;
  values: string[];
  labelOf: (value: string) => string;
  onRemove: (value: string) => void;
}

/** "3 chosen" that expands into the list of chosen values. */
function ChosenValues({ label, values, labelOf, onRemove }: ChosenProps) {
  const styles = useStyles2(getStyles);
  const [open, setOpen] = useState(false);
  return (
    <div className={styles.chosen} data-testid={selectors.queryEditor.chosenValues}>
      <Button
        size="sm"
        fill="text"
        variant="secondary"
        icon={open ? 'angle-up' : 'angle-down'}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {`${values.length} chosen`}
      </Button>
      {open && (
        <ul className={styles.list} aria-label={`Chosen ${label.toLowerCase()} values`}>
          {values.map((v) => (
            <li key={v} className={styles.item}>
              <span>{labelOf(v)}</span>
              <IconButton
                name="times"
                size="sm"
                aria-label={`Remove ${labelOf(v)} from ${label}`}
                onClick={() => onRemove(v)}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  ...getChipStyles(theme),
  chosen: css({ marginTop: theme.spacing(0.5) }),
});
