// End-to-end tests against a running Grafana (`docker compose up`, then `npm run e2e`).
import { test, expect } from '@grafana/plugin-e2e';

test('config editor explains that nothing needs configuring', async ({
  createDataSourceConfigPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  await createDataSourceConfigPage({ type: ds.type });
  await expect(page.getByText('No settings needed')).toBeVisible();
});

test('"Save & test" succeeds', async ({ createDataSourceConfigPage, readProvisionedDataSource }) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  const configPage = await createDataSourceConfigPage({ type: ds.type });
  await expect(configPage.saveAndTest()).toBeOK();
  await expect(configPage).toHaveAlert('success');
});
