// End-to-end tests against a running Grafana (`docker compose up`, then `npm run e2e`).
import { test, expect } from '@grafana/plugin-e2e';

import { selectors as ids } from '../src/components/selectors';
import { sampleQueryRow } from './sampleQuery';

test('a logs query of the sample shows its log lines in Explore', async ({
  explorePage,
  readProvisionedDataSource,
  selectors,
}) => {
  const row = await sampleQueryRow(explorePage, readProvisionedDataSource);
  await expect(row.getByTestId(ids.queryEditor.output)).toContainText('Logs');

  const returned = row.getByTestId(ids.queryEditor.returned);
  await expect(returned).toHaveText(/→ [1-9][\d,]* log lines?$/);
  const everyDevice = (await returned.textContent()) ?? '';

  // One device's entries (leaving the search runs the query): its client id is then in every line.
  const search = row.getByLabel('Search', { exact: true });
  await search.fill('pump-08');
  await search.press('Tab');
  await expect(returned).not.toHaveText(everyDevice);
  await expect(returned).toHaveText(/→ [1-9][\d,]* log lines?$/);

  const explore = explorePage.getByGrafanaSelector(selectors.pages.Explore.General.container);
  await expect(explore.getByText(/pump-08/).first()).toBeVisible();
});
