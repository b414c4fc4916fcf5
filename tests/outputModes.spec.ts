// End-to-end tests against a running Grafana (`docker compose up`, then `npm run e2e`).
import { test, expect } from '@grafana/plugin-e2e';

import { selectors as ids } from '../src/components/selectors';
import type { OutputMode } from '../src/types';
import { sampleQueryRow } from './sampleQuery';

/** Each output mode: its label in the Output select, and the editor's line for what a run returned. */
const OUTPUTS: Record<OutputMode, { label: string; returned: RegExp }> = {
  logs: { label: 'Logs', returned: /→ [1-9][\d,]* log lines?$/ },
  table: { label: 'Table', returned: /→ [1-9][\d,]* rows? in [1-9][\d,]* tables?$/ },
  timeseries: { label: 'Time series', returned: /→ [1-9][\d,]* series$/ },
  counts: { label: 'Counts', returned: /→ [1-9][\d,]* rows?$/ },
  sessions: { label: 'Sessions', returned: /→ [1-9][\d,]* sessions?$/ },
  behaviour: { label: 'Behaviour', returned: /→ [1-9][\d,]* devices?$/ },
  // The sample's incidents need not fall in the last 6 hours: the run itself must succeed.
  findings: { label: 'Findings', returned: /→ [\d,]+ findings?$/ },
};

for (const [mode, { label, returned }] of Object.entries(OUTPUTS)) {
  test(`the ${mode} output of the sample returns data and the panel shows no error`, async ({
    panelEditPage,
    readProvisionedDataSource,
    page,
  }) => {
    const row = await sampleQueryRow(panelEditPage, readProvisionedDataSource);
    await panelEditPage.setVisualization('Table');

    // Choosing an output mode runs the query (the plugin has no backend: no /api/ds/query to await).
    await row.getByRole('combobox', { name: 'Output', exact: true }).click();
    await page.getByRole('option', { name: new RegExp(`^${label}`) }).click();

    await expect(row.getByTestId(ids.queryEditor.output)).toContainText(label);
    await expect(row.getByTestId(ids.queryEditor.returned)).toHaveText(/^[\d,]+ of [\d,]+ entries matched → /);
    await expect(row.getByTestId(ids.queryEditor.returned)).toHaveText(returned);
    await expect(panelEditPage.panel.getErrorIcon()).toHaveCount(0);
  });
}
