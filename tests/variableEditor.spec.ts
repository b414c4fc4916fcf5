// End-to-end tests against a running Grafana (`docker compose up`, then `npm run e2e`).
import { test, expect } from '@grafana/plugin-e2e';

import { variableSelectors } from '../src/variables/selectors';

test("a Query variable of this data source lists the sample's client ids", async ({
  variableEditPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  await variableEditPage.setVariableType('Query');
  await variableEditPage.datasource.set(ds.name);
  const editor = page.getByTestId(variableSelectors.editor);
  await editor.getByRole('radio', { name: 'Sample', exact: true }).check();

  const values = editor.getByLabel('Values of');
  await values.click();
  await values.fill('Client');
  await page.getByRole('option', { name: /^Client ids/ }).click();

  await variableEditPage.runQuery();
  await expect(variableEditPage).toDisplayPreviews([/^pump-\d+$/], { timeout: 15_000 });
});
