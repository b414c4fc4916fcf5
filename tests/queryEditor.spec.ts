// End-to-end tests against a running Grafana (`docker compose up`, then `npm run e2e`).
import { readFileSync } from 'node:fs';
import { test, expect } from '@grafana/plugin-e2e';

const connect = JSON.stringify(JSON.parse(readFileSync('testdata/aws-reference/01-Connect.json', 'utf8')));

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
  await expect(row.getByRole('status')).toContainText('1 entry · 0 rejected');
  await expect(panelEditPage.panel.fieldNames).toContainText(['timestamp', 'clientId', 'sourcePort']);
  await expect(panelEditPage.panel.data).toContainText(['13490']);
});
