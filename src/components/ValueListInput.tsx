import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, IconButton, Input, useStyles2 } from '@grafana/ui';

import { getChipStyles } from './styles';

interface Props {
  id: string;
  /** What one value is called, for the buttons' names: "topic filter". */
  itemName: string;
  values: string[];
  placeholder: string;
  testId?: string;
  onChange: (values: string[]) => void;
}

/**
 * A list of free-text values: type one and press Enter (or Add, or leave the field) to add it; each
 * value shows with a remove button. The text being typed is the only state; the values are the query's.
 */
export function ValueListInput({ id, itemName, values, placeholder, testId, onChange }: Props) {
  const styles = useStyles2(getStyles);
  const [text, setText] = useState('');
  const add = () => {
    const value = text.trim();
    setText('');
    if (value !== '' && !values.includes(value)) {
      onChange([...values, value]);
    }
  };
  return (
    <div className={styles.wrapper} data-testid={testId}>
      <Input
        id={id}
        value={text}
        placeholder={placeholder}
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && text.trim() !== '') {
            // Enter adds the value; Shift+Enter too, and adding runs the query (so the editor's
            // Shift+Enter, which would run it without the value, is not needed).
            e.preventDefault();
            if (e.shiftKey) {
              e.stopPropagation();
            }
            add();
          }
        }}
        onBlur={add}
        suffix={
          <Button
            fill="text"
            size="sm"
            className={styles.add}
            aria-label={`Add ${itemName}`}
            disabled={text.trim() === ''}
            onClick={add}
          >
            Add
          </Button>
        }
      />
      {values.length > 0 && (
        <ul className={styles.list} aria-label={`Chosen ${itemName}s`}>
          {values.map((value) => (
            <li key={value} className={styles.item}>
              <code>{value}</code>
              <IconButton
                name="times"
                size="sm"
                aria-label={`Remove ${itemName} ${value}`}
                onClick={() => onChange(values.filter((v) => v !== value))}
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
  wrapper: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
  add: css({ margin: theme.spacing(0, -1) }),
});
