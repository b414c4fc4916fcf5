// End-to-end tests against a running Grafana (`docker compose up`, then `npm run e2e`).
import { test, expect } from '@grafana/plugin-e2e';

import { selectors as ids } from '../src/components/selectors';

test('config editor explains that nothing needs configuring', async ({
  createDataSourceConfigPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  await createDataSourceConfigPage({ type: ds.type });
  await expect(page.getByTestId(ids.configEditor.intro)).toContainText('No settings needed to start');
});

test('"Save & test" succeeds with no settings', async ({
  createDataSourceConfigPage,
  readProvisionedDataSource,
  selectors,
}) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  const configPage = await createDataSourceConfigPage({ type: ds.type });
  // The plugin has no backend: its test runs in the browser and never calls /health, so wait for the
  // save of the data source instead (the test's result is the alert below).
  await expect(
    configPage.saveAndTest({ path: selectors.apis.DataSource.datasourceByUID(configPage.datasource.uid) })
  ).toBeOK();
  await expect(configPage).toHaveAlert('success', { hasText: 'AWS IoT Logs is ready' });
});

test('the CloudWatch and URL source settings are labelled fields', async ({
  createDataSourceConfigPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  await createDataSourceConfigPage({ type: ds.type });

  // Grafana's data source picker names its input itself ("Select a data source"): the field's label
  // points at it (htmlFor → the picker's inputId).
  const picker = page.getByTestId(ids.configEditor.cloudWatch).getByRole('combobox');
  await expect(picker).toBeVisible();
  await expect(page.locator(`label[for="${await picker.getAttribute('id')}"]`)).toContainText('CloudWatch data source');
  const region = page.getByRole('textbox', { name: /^Region/ });
  await region.fill('eu-west-1');
  await expect(region).toHaveValue('eu-west-1');
  const logGroups = page.getByRole('textbox', { name: /^Log groups/ });
  await logGroups.fill('AWSIotLogsV2, iot-rules');
  await expect(logGroups).toHaveValue('AWSIotLogsV2, iot-rules');

  const baseUrl = page.getByRole('textbox', { name: /^Base URL/ });
  await baseUrl.fill('ftp://logs.example.com/');
  await expect(page.getByText('Only http and https URLs can be fetched.')).toBeVisible();
  await baseUrl.fill('https://logs.example.com/aws-iot/');
  await expect(page.getByText('Only http and https URLs can be fetched.')).toBeHidden();
});
