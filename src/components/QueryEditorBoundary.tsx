import React from 'react';
import { ErrorBoundaryAlert } from '@grafana/ui';

import { QueryEditor } from './QueryEditor';

type Props = React.ComponentProps<typeof QueryEditor>;

/** A failing editor shows an alert in its own row instead of breaking the whole panel editor. */
export function QueryEditorWithBoundary(props: Props) {
  return (
    <ErrorBoundaryAlert title="The AWS IoT Logs query editor failed" style="alertbox">
      <QueryEditor {...props} />
    </ErrorBoundaryAlert>
  );
}
