import React from 'react';
import { render, screen } from '@testing-library/react';
import type { DataSourceSettings } from '@grafana/data';

import type { IotLogsOptions } from '../types';
import { ConfigEditor } from './ConfigEditor';
import { selectors } from './selectors';

describe('ConfigEditor', () => {
  it('explains that nothing needs configuring and where entries go', () => {
    const onOptionsChange = jest.fn();
    render(
      <ConfigEditor
        options={{ jsonData: {} } as DataSourceSettings<IotLogsOptions>}
        onOptionsChange={onOptionsChange}
      />
    );
    expect(screen.getByTestId(selectors.configEditor.intro)).toHaveTextContent(/No settings needed/);
    expect(screen.getByText(/paste entries into the query editor/)).toBeInTheDocument();
    expect(onOptionsChange).not.toHaveBeenCalled();
  });
});
