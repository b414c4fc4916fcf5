// End-to-end tests against a running Grafana (`docker compose up`, then `npm run e2e`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@grafana/plugin-e2e';

import { selectors as ids } from '../src/components/selectors';
import { sampleQueryRow } from './sampleQuery';

const connect = JSON.stringify(JSON.parse(readFileSync('testdata/aws-reference/01-Connect.json', 'utf8')));
const s3Export = join(__dirname, '..', 'testdata', 'containers', 's3-export-000000.gz');

/** "1,204 of 10,976 entries matched → …": the 1,204 (NaN for any other line). */
const matched = (text: string | null) => Number(/^([\d,]+) of /.exec(text ?? '')?.[1].replace(/,/g, ''));

test('query editor offers the paste area and the filters', async ({ panelEditPage, readProvisionedDataSource }) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  await panelEditPage.datasource.set(ds.name);
  const row = panelEditPage.getQueryEditorRow('A');
  await expect(row.getByLabel('Log entries')).toBeVisible();
  await expect(row.getByLabel('Component')).toBeVisible();
  await expect(row.getByLabel('Event type')).toBeVisible();
  await expect(row.getByLabel('Status')).toBeVisible();
});

test('pasted entries become typed columns', async ({ panelEditPage, readProvisionedDataSource }) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  await panelEditPage.datasource.set(ds.name);
  await panelEditPage.setVisualization('Table');
  const row = panelEditPage.getQueryEditorRow('A');
  await row.getByLabel('Log entries').fill(connect);
  await row.getByLabel('Log entries').blur();
  await expect(row.getByTestId(ids.queryEditor.summary)).toContainText('1 entry · 0 rejected');
  await expect(panelEditPage.panel.fieldNames).toContainText(['timestamp', 'clientId', 'sourcePort']);
  await expect(panelEditPage.panel.data).toContainText(['13490']);
});

test('each source, chosen by its radio button, shows its own input', async ({
  panelEditPage,
  readProvisionedDataSource,
}) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  await panelEditPage.datasource.set(ds.name);
  const row = panelEditPage.getQueryEditorRow('A');
  const source = (name: string) => row.getByRole('radio', { name, exact: true });

  await expect(source('Paste')).toBeChecked();
  await expect(row.getByLabel('Log entries')).toBeVisible();

  await source('Upload').check();
  await expect(row.getByRole('button', { name: /^Drop an AWS IoT log file here/ })).toBeVisible();

  // The provisioned data source has no base URL and no CloudWatch data source: each source says so.
  await source('URL').check();
  await expect(row.getByText('No base URL configured')).toBeVisible();

  await source('CloudWatch').check();
  await expect(row.getByText('No CloudWatch data source chosen')).toBeVisible();

  await source('Sample').check();
  await expect(row.getByText(/^A day of a small fleet/)).toBeVisible();
  await expect(row.getByTestId(ids.queryEditor.summary)).toContainText('Last run:');

  await source('Paste').check();
  await expect(row.getByLabel('Log entries')).toBeVisible();
});

test('an uploaded S3 export is read and stored in the query', async ({ panelEditPage, readProvisionedDataSource }) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  await panelEditPage.datasource.set(ds.name);
  const row = panelEditPage.getQueryEditorRow('A');
  await row.getByRole('radio', { name: 'Upload', exact: true }).check();
  await row.getByTestId(ids.queryEditor.fileInput).setInputFiles(s3Export);
  await expect(row.getByTestId(ids.queryEditor.uploadedFile)).toContainText(
    /^s3-export-000000\.gz · .* stored in the query/
  );
  await expect(row.getByTestId(ids.queryEditor.summary)).toContainText('22 entries · 0 rejected');
  await expect(panelEditPage.panel.getErrorIcon()).toHaveCount(0);
});

test('with a base URL in the settings, the URL source asks for a path under it', async ({
  panelEditPage,
  readProvisionedDataSource,
  createDataSource,
  grafanaAPIClient,
}) => {
  const { type } = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  const baseUrl = 'https://logs.example.com/aws-iot/';
  // A name the data source picker's search for the provisioned one ("AWS IoT Logs") does not match.
  const ds = await createDataSource({ type, name: 'e2e-url-source', jsonData: { baseUrl } });
  try {
    await panelEditPage.datasource.set(ds.name);
    const row = panelEditPage.getQueryEditorRow('A');
    await row.getByRole('radio', { name: 'URL', exact: true }).check();
    await expect(row.getByText(baseUrl)).toBeVisible();
    await row.getByLabel('Path').fill('../secrets.json');
    await expect(row.getByText('The path may not contain "." or ".." segments')).toBeVisible();
  } finally {
    await grafanaAPIClient.deleteDataSourceByUID(ds.uid);
  }
});

test('a field filter added by its labels narrows the sample and the query still runs', async ({
  panelEditPage,
  readProvisionedDataSource,
  page,
}) => {
  const row = await sampleQueryRow(panelEditPage, readProvisionedDataSource);
  const returned = row.getByTestId(ids.queryEditor.returned);
  await expect(returned).toHaveText(/^[\d,]+ of [\d,]+ entries matched → /);
  const all = matched(await returned.textContent());

  await row.getByRole('button', { name: 'Add field filter' }).click();
  const filter = row.getByRole('group', { name: 'Field filter 1' });
  await filter.getByLabel('Field', { exact: true }).fill('clientId');
  await page
    .getByRole('option', { name: /^clientId/ })
    .first()
    .click();
  const value = filter.getByLabel('Value', { exact: true });
  await value.fill('pump-08');
  // Leaving the value runs the query.
  await value.press('Tab');

  await expect.poll(async () => matched(await returned.textContent())).toBeLessThan(all);
  expect(matched(await returned.textContent())).toBeGreaterThan(0);
  await expect(panelEditPage.panel.getErrorIcon()).toHaveCount(0);
});
