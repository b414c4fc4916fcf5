import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DataSourceInstanceSettings, DataSourceSettings } from '@grafana/data';
import { setDataSourceSrv, type DataSourceSrv } from '@grafana/runtime';

import { HARD_MAX_STORED_BYTES, type IotLogsOptions } from '../types';
import { checkBaseUrl, ConfigEditor, logGroupsFromText } from './ConfigEditor';
import { selectors } from './selectors';

const cloudWatch = {
  uid: 'cw-prod',
  name: 'CloudWatch prod',
  type: 'cloudwatch',
  meta: { id: 'cloudwatch', name: 'CloudWatch', info: { logos: { small: '' } } },
} as unknown as DataSourceInstanceSettings;
const loki = { ...cloudWatch, uid: 'loki', name: 'Loki', type: 'loki', meta: { ...cloudWatch.meta, id: 'loki' } };

beforeAll(() => {
  // The picker lists what Grafana's data source service has, filtered by its own filter.
  setDataSourceSrv({
    getList: (filters: { filter?: (ds: DataSourceInstanceSettings) => boolean; pluginId?: string; type?: string }) =>
      [cloudWatch, loki as DataSourceInstanceSettings].filter(
        (ds) =>
          (!filters?.pluginId || ds.meta.id === filters.pluginId) &&
          (!filters?.type || ds.type === filters.type) &&
          (!filters?.filter || filters.filter(ds))
      ),
    getInstanceSettings: (ref: string | { uid?: string } | null | undefined) => {
      const uid = typeof ref === 'string' ? ref : ref?.uid;
      // as Grafana's: by uid or by name (the picker's options carry the name)
      return [cloudWatch, loki as DataSourceInstanceSettings].find((ds) => ds.uid === uid || ds.name === uid);
    },
  } as unknown as DataSourceSrv);
});

const MB = 1024 * 1024;

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
    expect(screen.getByLabelText(/Largest upload/)).toHaveValue('1');
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

  it('accepts typing in the upload cap: an empty field or "0." while typing, the value once it is one', async () => {
    const user = userEvent.setup({ delay: null });
    const { onOptionsChange } = setup();
    const input = screen.getByLabelText(/Largest upload/);
    await user.clear(input);
    expect(input).toHaveValue('');
    expect(screen.getByText(/Enter a size in MB above 0/)).toBeInTheDocument();
    await user.type(input, '0.');
    expect(input).toHaveValue('0.');
    await user.type(input, '5');
    expect(input).toHaveValue('0.5');
    expect(onOptionsChange).toHaveBeenLastCalledWith(expect.objectContaining({ jsonData: { maxStoredBytes: MB / 2 } }));
  });

  it('chooses the CloudWatch data source among CloudWatch data sources only', async () => {
    const user = userEvent.setup({ delay: null });
    const { onOptionsChange } = setup();
    await user.click(screen.getByLabelText(/^CloudWatch data source/));
    expect(await screen.findByText('CloudWatch prod')).toBeInTheDocument();
    expect(screen.queryByText('Loki')).not.toBeInTheDocument();
    await user.keyboard('{Enter}'); // the first (only) option
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: { cloudWatchUid: 'cw-prod' } })
    );
  });

  it("sets the region (empty: the CloudWatch data source's default) and several log groups", async () => {
    const { onOptionsChange } = setup({ cloudWatchUid: 'cw-prod', logGroups: ['AWSIotLogsV2'] });
    fireEvent.change(screen.getByLabelText(/^Region/), { target: { value: ' eu-west-1 ' } });
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({
        jsonData: { cloudWatchUid: 'cw-prod', logGroups: ['AWSIotLogsV2'], region: 'eu-west-1' },
      })
    );
    fireEvent.change(screen.getByLabelText(/^Log groups/), {
      target: { value: 'AWSIotLogsV2, arn:aws:logs:eu-west-1:123456789012:log-group:iot-rules-errors-long-name:*,' },
    });
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({
        jsonData: {
          cloudWatchUid: 'cw-prod',
          logGroups: ['AWSIotLogsV2', 'arn:aws:logs:eu-west-1:123456789012:log-group:iot-rules-errors-long-name:*'],
        },
      })
    );
    // the text stays as typed (a trailing comma) while the field has focus
    expect(screen.getByLabelText(/^Log groups/)).toHaveValue(
      'AWSIotLogsV2, arn:aws:logs:eu-west-1:123456789012:log-group:iot-rules-errors-long-name:*,'
    );
  });

  it('reads log groups separated by commas, spaces or lines, once each', () => {
    expect(logGroupsFromText(' a,b\n c  a,, ')).toEqual(['a', 'b', 'c']);
    expect(logGroupsFromText('')).toEqual([]);
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
