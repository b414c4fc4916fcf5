// End-to-end tests against a running Grafana (`docker compose up`, then `npm run e2e`).
import { test, expect } from '@grafana/plugin-e2e';

import { annotationSelectors } from '../src/annotations/selectors';

test("an annotation of the sample's sessions is accepted and finds events", async ({
  annotationEditPage,
  readProvisionedDataSource,
  page,
  selectors,
}) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  await annotationEditPage.datasource.set(ds.name);
  const editor = page.getByTestId(annotationSelectors.editor);
  await editor.getByRole('radio', { name: 'Sample', exact: true }).check();
  await editor.getByRole('radio', { name: 'Each session (region)', exact: true }).check();
  await expect(editor.getByTestId(annotationSelectors.mapping)).toContainText('No field mapping needed');

  // Grafana's own test of the annotation query (the plugin has no backend: no /api/ds/query to await).
  const { testButton, resultContainer } = selectors.components.Annotations.editor;
  await annotationEditPage.getByGrafanaSelector(testButton).click();
  await expect(annotationEditPage.getByGrafanaSelector(resultContainer)).toContainText(/[1-9]\d* events/);
});
