// End-to-end tests against a running Grafana (`docker compose up`, then `npm run e2e`).
import { test, expect, type Dashboard } from '@grafana/plugin-e2e';

/** The five dashboards in provisioning/dashboards (each file lists its panels, checked one by one). */
const DASHBOARDS = [
  'fleet-overview.json',
  'connectivity-and-sessions.json',
  'rules-engine.json',
  'jobs-and-provisioning.json',
  'device-drill-down.json',
];

type ProvisionedDashboard = Dashboard & { panels: Array<{ id: number; title: string }> };

for (const fileName of DASHBOARDS) {
  test(`the provisioned dashboard ${fileName} opens and none of its panels shows an error`, async ({
    gotoDashboardPage,
    readProvisionedDashboard,
    selectors,
  }) => {
    const dashboard = (await readProvisionedDashboard({ fileName })) as ProvisionedDashboard;
    const dashboardPage = await gotoDashboardPage({ uid: dashboard.uid });
    expect(dashboard.panels.length).toBeGreaterThan(0);
    for (const { id, title } of dashboard.panels) {
      // Panels below the fold render (and query) only once scrolled into view.
      const panel = dashboardPage.getPanelById(String(id));
      await panel.scrollIntoView();
      await expect(panel.locator).toContainText(title);
      const loading = dashboardPage.getByGrafanaSelector(selectors.components.Panels.Panel.loadingBar(''), {
        root: panel.locator,
      });
      await expect(loading).toHaveCount(0);
      await expect(panel.getErrorIcon(), `panel "${title}"`).toHaveCount(0);
      // Something drawn: not Grafana's empty-panel text, nor the bar chart's "requires a string field".
      await expect(panel.locator, `panel "${title}"`).not.toContainText(/No data|require/);
    }
    await expect(dashboardPage).not.toHavePanelErrors();
  });
}
