import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, IconButton, Input, useStyles2 } from '@grafana/ui';

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
          if (e.key === 'Enter' && !e.shiftKey && text.trim() !== '') {
            e.preventDefault();
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
  wrapper: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
  add: css({ margin: theme.spacing(0, -1) }),
  list: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
  }),
  item: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    padding: theme.spacing(0, 0.5, 0, 1),
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.canvas,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
