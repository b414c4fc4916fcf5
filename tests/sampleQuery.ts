// Shared by the e2e specs: the provisioned data source in a query editor, on the Sample source.
import type { ExplorePage, PanelEditPage } from '@grafana/plugin-e2e';

/**
 * Chooses the provisioned AWS IoT Logs data source (provisioning/datasources/datasources.yml) in a panel
 * editor or Explore, switches query A to the Sample source through its radio, and returns A's editor row.
 */
export async function sampleQueryRow(
  page: PanelEditPage | ExplorePage,
  readProvisionedDataSource: (args: { fileName: string }) => Promise<{ name: string }>
) {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  await page.datasource.set(ds.name);
  const row = page.getQueryEditorRow('A');
  await row.getByRole('radio', { name: 'Sample', exact: true }).check();
  return row;
}
