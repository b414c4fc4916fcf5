import React, { useState } from 'react';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';

import type { TableResult } from '../parsing';
import { SessionStore } from '../sources/sessionStore';
import { variableSelectors } from './selectors';
import { FLEET_TEXT, fleet } from './testFleet';
import type { ParseOptions, VariableDataSource } from './types';
import { getDefaultVariableQuery, type IotLogsVariableQuery } from './variableQuery';
import { VariableQueryEditor } from './VariableQueryEditor';

/** For what happens after an event (a popup opening): generous for a busy machine, short of the test timeout. */
const WAIT = { timeout: 20_000 };

function fakeDatasource(result: TableResult = fleet()) {
  const parse = jest.fn((_q: unknown, _o?: ParseOptions) => Promise.resolve(result));
  const datasource = {
    parse,
    replace: (text: string) => text,
    maxStoredBytes: 1024 * 1024,
    baseUrl: undefined,
    sessions: new SessionStore(),
  } as unknown as VariableDataSource;
  return { datasource, parse };
}

const variable = (patch: Partial<IotLogsVariableQuery> = {}): IotLogsVariableQuery => ({
  refId: 'V',
  ...getDefaultVariableQuery(),
  source: { type: 'inline', content: FLEET_TEXT },
  ...patch,
});

/**
 * Renders the editor the way Grafana does: the query it shows is the last one handed to onChange (a
 * stored query of any shape at first, a string included).
 */
async function setup(stored: IotLogsVariableQuery | string = variable()) {
  const onChange = jest.fn();
  const { datasource, parse } = fakeDatasource();
  const user = userEvent.setup({ delay: null });
  function Host() {
    const [query, setQuery] = useState(stored);
    return (
      <VariableQueryEditor
        datasource={datasource}
        // Grafana hands a string query of an old dashboard over as it is.
        query={query as IotLogsVariableQuery}
        onChange={(next) => {
          onChange(next);
          setQuery(next);
        }}
        onRunQuery={() => undefined}
      />
    );
  }
  // The editor reads the source for its suggestions: that read settles within act.
  await act(async () => {
    render(<Host />);
  });
  const last = () => onChange.mock.lastCall?.[0] as IotLogsVariableQuery;
  return { user, onChange, parse, last };
}

async function openOptions(user: UserEvent, label: string): Promise<HTMLElement[]> {
  await user.click(screen.getByLabelText(label));
  const listbox = await screen.findByRole('listbox', {}, WAIT);
  return within(listbox).findAllByRole('option', { hidden: true }, WAIT);
}

async function choose(user: UserEvent, label: string, text: RegExp) {
  const options = await openOptions(user, label);
  const matching = options.filter((o) => text.test(o.textContent ?? ''));
  expect(matching).toHaveLength(1);
  await user.click(matching[0]);
}

describe('VariableQueryEditor', () => {
  it('labels every control', async () => {
    await setup();
    expect(screen.getByRole('radiogroup', { name: 'Source' })).toBeInTheDocument();
    expect(screen.getByRole('radiogroup', { name: 'Sort' })).toBeInTheDocument();
    for (const label of ['Log entries', 'Values of', 'Show counts', 'Component', 'Event type', 'Status', 'Search']) {
      expect(screen.getByLabelText(label)).toBeInTheDocument();
    }
    expect(screen.queryByLabelText('Field')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add field filter' })).toBeInTheDocument();
  });

  it('changing "Values of" hands Grafana the query listing those', async () => {
    const { user, last } = await setup();
    await choose(user, 'Values of', /^Client ids/);
    expect(last()).toEqual(variable({ values: 'clientId' }));
  });

  it('lists the values of a field chosen among the fields the data holds', async () => {
    const { user, last, parse } = await setup();
    await choose(user, 'Values of', /^Values of a field/);
    expect(last()).toEqual(variable({ values: 'field', field: '' }));
    expect(screen.getByText('Choose a field.')).toBeInTheDocument();
    expect(parse).toHaveBeenCalled();
    // resources.RepublishTopic is not documented (resources is): it is suggested because the data has it.
    await user.type(screen.getByLabelText('Field'), 'Republish');
    const found = await screen.findAllByRole('option', { hidden: true }, WAIT);
    const option = found.find((o) => o.textContent?.startsWith('resources.RepublishTopic'));
    expect(option).toBeDefined();
    await user.click(option!);
    expect(last()).toEqual(variable({ values: 'field', field: 'resources.RepublishTopic' }));
  });

  it('shows a string query of an old dashboard as what it means', async () => {
    await setup('clientIds');
    expect(screen.getByLabelText('Values of')).toHaveValue('Client ids');
  });

  it('shows a field name of an old dashboard as the field listed', async () => {
    await setup('sourceIp');
    expect(screen.getByLabelText('Values of')).toHaveValue('Values of a field');
    expect(screen.getByLabelText('Field')).toHaveValue('sourceIp');
  });

  it('sorts and shows counts', async () => {
    const { user, last } = await setup();
    await user.click(within(screen.getByRole('radiogroup', { name: 'Sort' })).getByLabelText('By name'));
    expect(last().sort).toBe('name');
    await user.click(screen.getByTestId(variableSelectors.showCounts));
    expect(last()).toEqual(variable({ sort: 'name', showCounts: true }));
  });

  it('hands typed text over when the input is left, not at every key', async () => {
    const { user, onChange, last } = await setup();
    await user.type(screen.getByLabelText('Search'), 'sensor');
    expect(onChange).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Search')).toHaveValue('sensor');
    fireEvent.blur(screen.getByLabelText('Search'));
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(last()).toEqual(variable({ search: 'sensor' }));
    // Shift+Enter too.
    await user.type(screen.getByLabelText('Search'), '-1{Shift>}{Enter}{/Shift}');
    expect(last().search).toBe('sensor-1');
  });

  it('filters by component, as the query editor does', async () => {
    const { user, last } = await setup();
    await choose(user, 'Component', /^Jobs/);
    expect(last().components).toEqual(['jobs']);
  });

  it('switches the source, keeping the pasted text for a switch back', async () => {
    const { user, last } = await setup();
    await user.click(within(screen.getByRole('radiogroup', { name: 'Source' })).getByLabelText('Sample'));
    expect(last().source).toEqual({ type: 'sample' });
    expect(last().ignoreTimeRange).toBe(false);
    await user.click(within(screen.getByRole('radiogroup', { name: 'Source' })).getByLabelText('Paste'));
    expect(last().source).toEqual({ type: 'inline', content: FLEET_TEXT });
  });
});
