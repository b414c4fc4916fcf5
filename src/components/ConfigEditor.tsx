import React from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { ConfigSection } from '@grafana/plugin-ui';
import { DataSourcePicker } from '@grafana/runtime';
import { Alert, Field, Input, SecretInput, Stack, Text } from '@grafana/ui';

import { CLOUDWATCH_TYPE, DEFAULT_LOG_GROUP } from '../cloudwatch/types';

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

/** The upload cap as typed: text while typing (so `0.` or an empty field can be typed), bytes when valid. */
function UploadCapInput({ bytes, onChange }: { bytes: number; onChange: (bytes: number) => void }) {
  const shown = String(Math.round((bytes / MB) * 100) / 100);
  const [text, setText] = React.useState(shown);
  const [editing, setEditing] = React.useState(false);
  const mb = Number(text);
  const invalid = editing && !(text.trim() !== '' && Number.isFinite(mb) && mb > 0);
  return (
    <Field
      label="Largest upload kept in a dashboard (MB, compressed)"
      htmlFor="aws-iot-logs-max-stored"
      description={`Uploaded files are stored in the query gzip-compressed up to this size (default ${formatBytes(DEFAULT_MAX_STORED_BYTES)}, at most ${formatBytes(HARD_MAX_STORED_BYTES)}). Larger files are read for the browser session only.`}
      invalid={invalid}
      error={invalid ? `Enter a size in MB above 0 (at most ${HARD_MAX_STORED_BYTES / MB}).` : undefined}
    >
      <Input
        id="aws-iot-logs-max-stored"
        data-testid={selectors.configEditor.maxStored}
        inputMode="decimal"
        width={12}
        value={editing ? text : shown}
        onFocus={() => {
          setText(shown);
          setEditing(true);
        }}
        onChange={(e) => {
          const typed = e.currentTarget.value;
          setText(typed);
          setEditing(true);
          const n = Number(typed);
          if (typed.trim() !== '' && Number.isFinite(n) && n > 0) {
            onChange(Math.round(Math.min(n * MB, HARD_MAX_STORED_BYTES)));
          }
        }}
        onBlur={() => setEditing(false)}
      />
    </Field>
  );
}

/** Log groups as typed: names or ARNs separated by commas, spaces or new lines (neither can hold them). */
export function logGroupsFromText(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((g) => g !== ''))];
}

/** Log groups, by name or ARN: AWS IoT can send some event types to other log groups. */
function LogGroupsInput({ value, onChange }: { value: string[]; onChange: (groups: string[]) => void }) {
  const shown = value.join(', ');
  const [text, setText] = React.useState<string | undefined>(undefined);
  return (
    <Field
      label="Log groups"
      htmlFor="aws-iot-logs-log-groups"
      description={`Log groups to read, by name or ARN, separated by commas. Empty reads ${DEFAULT_LOG_GROUP}. AWS IoT can send some event types to other log groups (set-v2-logging-options with a log destination per eventType).`}
    >
      <Input
        id="aws-iot-logs-log-groups"
        data-testid={selectors.configEditor.logGroups}
        value={text ?? shown}
        placeholder={DEFAULT_LOG_GROUP}
        width={80}
        onChange={(e) => {
          setText(e.currentTarget.value);
          onChange(logGroupsFromText(e.currentTarget.value));
        }}
        onBlur={() => setText(undefined)}
      />
    </Field>
  );
}

/**
 * The settings, in Grafana's config sections: the CloudWatch source (live data through a CloudWatch data
 * source), the URL source, uploads. Everything is optional: pasting and the sample need none.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields } = options;
  const baseUrlError = checkBaseUrl(jsonData.baseUrl ?? '');
  const setJson = (patch: Partial<IotLogsOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });

  return (
    <Stack direction="column" gap={2}>
      <div data-testid={selectors.configEditor.intro}>
        <Alert severity="info" title="No settings needed to start">
          <Text element="p">
            Paste or upload AWS IoT log entries (CloudWatch log group AWSIotLogsV2), or use the sample data, in any
            query. Choose a CloudWatch data source below for live data, and a base URL to read files from a server.
          </Text>
        </Alert>
      </div>

      <ConfigSection
        title="CloudWatch (live data)"
        description="Queries of the CloudWatch source run as CloudWatch Logs Insights queries through this CloudWatch data source, which holds your AWS credentials. Filters and counting run in AWS."
      >
        <Field
          label="CloudWatch data source"
          htmlFor="aws-iot-logs-cloudwatch"
          description="A Grafana CloudWatch data source whose credentials may run Logs Insights queries on the log groups below."
        >
          <div data-testid={selectors.configEditor.cloudWatch}>
            <DataSourcePicker
              inputId="aws-iot-logs-cloudwatch"
              type={CLOUDWATCH_TYPE}
              current={jsonData.cloudWatchUid ?? null}
              noDefault
              width={60}
              placeholder="Choose a CloudWatch data source"
              onChange={(ds) => setJson({ cloudWatchUid: ds.uid })}
              onClear={() => setJson({ cloudWatchUid: undefined })}
            />
          </div>
        </Field>
        <Field
          label="Region"
          htmlFor="aws-iot-logs-region"
          description="The AWS region of the log groups. Empty uses the CloudWatch data source's default region."
        >
          <Input
            id="aws-iot-logs-region"
            data-testid={selectors.configEditor.region}
            value={jsonData.region ?? ''}
            placeholder="default"
            width={30}
            onChange={(e) => setJson({ region: e.currentTarget.value.trim() || undefined })}
          />
        </Field>
        <LogGroupsInput value={jsonData.logGroups ?? []} onChange={(logGroups) => setJson({ logGroups })} />
      </ConfigSection>

      <ConfigSection
        title="URL source"
        description="Queries of the URL source read files under this URL, fetched by Grafana's data proxy. Queries cannot reach any other host."
      >
        <Field label="Base URL" htmlFor="aws-iot-logs-base-url" invalid={!!baseUrlError} error={baseUrlError}>
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
      </ConfigSection>

      <ConfigSection title="Uploads">
        <UploadCapInput
          bytes={jsonData.maxStoredBytes ?? DEFAULT_MAX_STORED_BYTES}
          onChange={(maxStoredBytes) => setJson({ maxStoredBytes })}
        />
      </ConfigSection>
    </Stack>
  );
}
