/**
 * The data source's part of Explore's log context view (getLogRowContextUi): which entries to show
 * around the line, those of the same device (clientId, the default) or of the same trace (traceId), and
 * a sentence saying what is shown for this line (the other key when it lacks the chosen one). The
 * choice lives on the data source (ContextKeyChoice), so it holds for the next lines opened; changing it
 * reloads the context (runContextQuery).
 */
import React, { useSyncExternalStore } from 'react';
import type { LogRowModel } from '@grafana/data';
import { RadioButtonGroup, Stack, Text } from '@grafana/ui';

import { describeContext, rowKeys, type ContextKey, type ContextKeyChoice, type ContextRowModel } from './logContext';

export const CONTEXT_KEY_OPTIONS: Array<{ label: string; value: ContextKey; description: string }> = [
  {
    label: 'Same device (clientId)',
    value: 'clientId',
    description: "The device's entries before and after this one: connects, publishes, rule runs, disconnects.",
  },
  {
    label: 'Same trace (traceId)',
    value: 'traceId',
    description: 'The entries of the same operation as this one.',
  },
];

export const CONTEXT_KEY_LABEL = 'Show entries of';

interface Props {
  choice: ContextKeyChoice;
  row: ContextRowModel;
  /** Reloads the context view (Grafana's runContextQuery). */
  runContextQuery?: () => void;
}

export function LogContextUi({ choice, row, runContextQuery }: Props) {
  const key = useSyncExternalStore(choice.subscribe, choice.get);
  const onChange = (next: ContextKey) => {
    if (next !== choice.get()) {
      choice.set(next);
      runContextQuery?.();
    }
  };
  return (
    <Stack direction="row" alignItems="center" gap={2} wrap="wrap">
      <Text color="secondary" variant="bodySmall">
        {CONTEXT_KEY_LABEL}
      </Text>
      <RadioButtonGroup
        aria-label={CONTEXT_KEY_LABEL}
        size="sm"
        options={CONTEXT_KEY_OPTIONS}
        value={key}
        onChange={onChange}
      />
      <Text color="secondary" variant="bodySmall">
        {describeContext(rowKeys(row), key)}
      </Text>
    </Stack>
  );
}

/** getLogRowContextUi's body, for datasource.ts (which has no JSX). */
export function logContextUi(
  choice: ContextKeyChoice,
  row: LogRowModel,
  runContextQuery?: () => void
): React.ReactNode {
  return <LogContextUi choice={choice} row={row} runContextQuery={runContextQuery} />;
}
