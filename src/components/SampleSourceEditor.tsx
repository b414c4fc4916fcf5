import React from 'react';
import { Text } from '@grafana/ui';

import type { SourceEditorProps } from '../sources/types';
import type { SampleSource } from '../types';

/** The sample has nothing to set: what it holds. */
export function SampleSourceEditor(_props: SourceEditorProps<SampleSource>) {
  return (
    <Text color="secondary" variant="bodySmall">
      A day of a small fleet (pumps, gateways, sensors) across every component, with failures, throttling, a reconnect
      storm and a firmware job, moved so that it ends at the end of the time range.
    </Text>
  );
}
