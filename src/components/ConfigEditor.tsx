import React from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Alert, Stack, Text } from '@grafana/ui';

import type { IotLogsOptions } from '../types';
import { selectors } from './selectors';

type Props = DataSourcePluginOptionsEditorProps<IotLogsOptions>;

/** Nothing to configure yet: say so, and say where the entries go. */
export function ConfigEditor(_props: Props) {
  return (
    <Stack direction="column" gap={2}>
      <div data-testid={selectors.configEditor.intro}>
        <Alert severity="info" title="No settings needed">
          <Text element="p">
            AWS IoT Logs reads AWS IoT Core log entries (CloudWatch log group AWSIotLogsV2) that you paste into a query.
            Save this data source, then open a dashboard or Explore and paste entries into the query editor.
          </Text>
        </Alert>
      </div>
    </Stack>
  );
}
