import React from 'react';
import { Text } from '@grafana/ui';

import type { SourceEditorProps } from '../sources/types';
import type { DefaultSource } from '../types';

/** The default source has nothing to set: what it reads on this data source. */
export function DefaultSourceEditor({ datasource }: SourceEditorProps<DefaultSource>) {
  return (
    <Text color="secondary" variant="bodySmall">
      {datasource.cloudWatch?.uid
        ? "This data source's own source: CloudWatch Logs Insights, through the CloudWatch data source and log groups its settings choose."
        : "This data source's own source: the bundled sample, as no CloudWatch data source is chosen in its settings (once one is, the same query reads CloudWatch)."}
    </Text>
  );
}
