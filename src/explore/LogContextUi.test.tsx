import React from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { FieldType, type Labels } from '@grafana/data';

import { ContextKeyChoice, type ContextRowModel } from './logContext';
import { CONTEXT_KEY_LABEL, LogContextUi } from './LogContextUi';

/** A line of the logs output with the given labels and traceId field. */
function row(labels: Labels, traceId: string | null): ContextRowModel {
  return {
    dataFrame: {
      name: 'Publish-In',
      fields: [
        { name: 'labels', type: FieldType.other, config: {}, values: [labels] },
        { name: 'traceId', type: FieldType.string, config: {}, values: [traceId] },
      ],
      length: 1,
    },
    rowIndex: 0,
    labels,
    timeEpochMs: 0,
  };
}

function setup(line = row({ eventType: 'Publish-In', clientId: 'dev-1' }, 'T9')) {
  const choice = new ContextKeyChoice();
  const runContextQuery = jest.fn();
  render(<LogContextUi choice={choice} row={line} runContextQuery={runContextQuery} />);
  return { choice, runContextQuery };
}

describe('LogContextUi', () => {
  it('offers the device and the trace, the device chosen, and says what is shown', () => {
    setup();
    expect(screen.getByRole('radiogroup', { name: CONTEXT_KEY_LABEL })).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Same device (clientId)' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Same trace (traceId)' })).not.toBeChecked();
    expect(screen.getByText('Showing entries of the same device (clientId dev-1).')).toBeInTheDocument();
  });

  it('stores a new choice on the data source and reloads the context once', () => {
    const { choice, runContextQuery } = setup();
    fireEvent.click(screen.getByRole('radio', { name: 'Same trace (traceId)' }));
    expect(choice.get()).toBe('traceId');
    expect(runContextQuery).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('radio', { name: 'Same trace (traceId)' })).toBeChecked();
    expect(screen.getByText('Showing entries of the same trace (traceId T9).')).toBeInTheDocument();
    // Choosing what is chosen does not reload.
    fireEvent.click(screen.getByRole('radio', { name: 'Same trace (traceId)' }));
    expect(runContextQuery).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('radio', { name: 'Same device (clientId)' }));
    expect(choice.get()).toBe('clientId');
    expect(runContextQuery).toHaveBeenCalledTimes(2);
  });

  it('says when the line lacks the chosen key, or both', () => {
    setup(row({ eventType: 'RuleExecution' }, 'T3'));
    expect(
      screen.getByText('This entry has no clientId: showing entries of the same trace (traceId T3) instead.')
    ).toBeInTheDocument();
  });

  it('says when there is nothing to show', () => {
    setup(row({ eventType: 'RuleNotFound' }, null));
    expect(screen.getByText(/neither a clientId nor a traceId/)).toBeInTheDocument();
  });

  it('shows a choice made in another context view', () => {
    const { choice, runContextQuery } = setup();
    act(() => choice.set('traceId'));
    expect(screen.getByRole('radio', { name: 'Same trace (traceId)' })).toBeChecked();
    expect(runContextQuery).not.toHaveBeenCalled();
  });
});
