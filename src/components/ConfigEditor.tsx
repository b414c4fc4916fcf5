import React from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Alert, Field, Input, SecretInput, Stack, Text } from '@grafana/ui';

import { formatBytes } from './format';
import { selectors } from './selectors';
import {
  DEFAULT_MAX_STORED_BYTES,
  HARD_MAX_STORED_BYTES,
  type IotLogsOptions,
  type IotLogsSecureOptions,
} from '../types';

type Props = DataSourcePluginOptionsEditorProps<IotLogsOptions, IotLogsSecureOptions>;

const MB = 1024 * 1024;

/** Whether a base URL is one the data proxy can use: absolute http(s), no credentials, no query. */
export function checkBaseUrl(value: string): string | undefined {
  if (value.trim() === '') {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return 'Enter an absolute URL such as https://logs.example.com/aws-iot/';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return 'Only http and https URLs can be fetched.';
  }
  if (url.username || url.password) {
    return 'Put credentials in the Authorization header below, not in the URL.';
  }
  if (url.search || url.hash) {
    return 'The base URL cannot have a query string or fragment.';
  }
  return undefined;
}

/** Settings of the URL source and of uploads. Everything is optional: pasting and the sample need none. */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields } = options;
  const baseUrlError = checkBaseUrl(jsonData.baseUrl ?? '');
  const maxMb = (jsonData.maxStoredBytes ?? DEFAULT_MAX_STORED_BYTES) / MB;
  const setJson = (patch: Partial<IotLogsOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });

  return (
    <Stack direction="column" gap={2}>
      <div data-testid={selectors.configEditor.intro}>
        <Alert severity="info" title="No settings needed to start">
          <Text element="p">
            Paste or upload AWS IoT log entries (CloudWatch log group AWSIotLogsV2), or use the sample data, in any
            query. The settings below are for reading files from a server and for large uploads.
          </Text>
        </Alert>
      </div>

      <Field
        label="Base URL"
        htmlFor="aws-iot-logs-base-url"
        description="Queries can read files under this URL (the URL source), fetched by Grafana's data proxy. Queries cannot reach any other host."
        invalid={!!baseUrlError}
        error={baseUrlError}
      >
        <Input
          id="aws-iot-logs-base-url"
          data-testid={selectors.configEditor.baseUrl}
          value={jsonData.baseUrl ?? ''}
          placeholder="https://logs.example.com/aws-iot/"
          width={60}
          onChange={(e) => setJson({ baseUrl: e.currentTarget.value })}
        />
      </Field>

      <Field
        label="Authorization header"
        htmlFor="aws-iot-logs-auth-header"
        description="Sent as the Authorization header with every URL source request (e.g. Bearer …). Stored encrypted; never sent to browsers."
      >
        <SecretInput
          id="aws-iot-logs-auth-header"
          data-testid={selectors.configEditor.authHeader}
          isConfigured={!!secureJsonFields?.authHeader}
          value={(options.secureJsonData as IotLogsSecureOptions | undefined)?.authHeader ?? ''}
          placeholder="Bearer …"
          width={60}
          onChange={(e) =>
            onOptionsChange({
              ...options,
              secureJsonData: { ...options.secureJsonData, authHeader: e.currentTarget.value },
            })
          }
          onReset={() =>
            onOptionsChange({
              ...options,
              secureJsonFields: { ...secureJsonFields, authHeader: false },
              secureJsonData: { ...options.secureJsonData, authHeader: '' },
            })
          }
        />
      </Field>

      <Field
        label="Largest upload kept in a dashboard (MB, compressed)"
        htmlFor="aws-iot-logs-max-stored"
        description={`Uploaded files are stored in the query gzip-compressed up to this size (default ${formatBytes(DEFAULT_MAX_STORED_BYTES)}, at most ${formatBytes(HARD_MAX_STORED_BYTES)}). Larger files are read for the browser session only.`}
      >
        <Input
          id="aws-iot-logs-max-stored"
          data-testid={selectors.configEditor.maxStored}
          type="number"
          min={0.1}
          max={HARD_MAX_STORED_BYTES / MB}
          step={0.1}
          width={12}
          value={maxMb}
          onChange={(e) => {
            const mb = Number(e.currentTarget.value);
            if (Number.isFinite(mb) && mb > 0) {
              setJson({ maxStoredBytes: Math.round(Math.min(mb * MB, HARD_MAX_STORED_BYTES)) });
            }
          }}
        />
      </Field>
    </Stack>
  );
}
