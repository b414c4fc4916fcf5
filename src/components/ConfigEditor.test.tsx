import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { DataSourceSettings } from '@grafana/data';

import { HARD_MAX_STORED_BYTES, type IotLogsOptions } from '../types';
import { checkBaseUrl, ConfigEditor } from './ConfigEditor';
import { selectors } from './selectors';

function setup(jsonData: IotLogsOptions = {}, secureJsonFields: Record<string, boolean> = {}) {
  const onOptionsChange = jest.fn();
  const options = { jsonData, secureJsonFields, secureJsonData: {} } as unknown as DataSourceSettings<IotLogsOptions>;
  render(<ConfigEditor options={options} onOptionsChange={onOptionsChange} />);
  return { onOptionsChange, options };
}

describe('ConfigEditor', () => {
  it('starts empty and says nothing is needed to start', () => {
    const { onOptionsChange } = setup();
    expect(screen.getByTestId(selectors.configEditor.intro)).toHaveTextContent(/No settings needed to start/);
    expect(screen.getByLabelText(/^Base URL/)).toHaveValue('');
    expect(screen.getByLabelText(/Largest upload/)).toHaveValue(1);
    expect(onOptionsChange).not.toHaveBeenCalled();
  });

  it('sets the base URL and flags URLs the proxy cannot use', () => {
    const { onOptionsChange } = setup({ baseUrl: 'ftp://x' });
    expect(screen.getByText('Only http and https URLs can be fetched.')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText(/^Base URL/), { target: { value: 'https://logs.example.com/iot/' } });
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: { baseUrl: 'https://logs.example.com/iot/' } })
    );
  });

  it('keeps the Authorization header in secureJsonData', () => {
    const { onOptionsChange } = setup();
    fireEvent.change(screen.getByLabelText(/^Authorization header/), { target: { value: 'Bearer abc' } });
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ secureJsonData: { authHeader: 'Bearer abc' }, jsonData: {} })
    );
  });

  it('shows a configured header as configured, and resets it', () => {
    const { onOptionsChange } = setup({}, { authHeader: true });
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ secureJsonFields: { authHeader: false }, secureJsonData: { authHeader: '' } })
    );
  });

  it('bounds the upload cap by the hard limit', () => {
    const { onOptionsChange } = setup();
    fireEvent.change(screen.getByLabelText(/Largest upload/), { target: { value: '500' } });
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: { maxStoredBytes: HARD_MAX_STORED_BYTES } })
    );
    fireEvent.change(screen.getByLabelText(/Largest upload/), { target: { value: '2' } });
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: { maxStoredBytes: 2 * 1024 * 1024 } })
    );
  });

  it.each([
    ['', undefined],
    ['https://logs.example.com/iot/', undefined],
    ['http://10.0.0.5:8080', undefined],
    ['logs.example.com', /absolute URL/],
    ['file:///etc/passwd', /Only http and https/],
    ['https://user:pw@logs.example.com', /credentials/],
    ['https://logs.example.com/?token=1', /query string/],
  ])('checkBaseUrl(%j)', (url, message) => {
    const result = checkBaseUrl(url);
    if (message === undefined) {
      expect(result).toBeUndefined();
    } else {
      expect(result).toMatch(message);
    }
  });
});
