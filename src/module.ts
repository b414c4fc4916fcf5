import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditorWithBoundary } from './components/QueryEditorBoundary';
import { DataSource } from './datasource';
import type { IotLogsOptions, IotLogsQuery } from './types';

export const plugin = new DataSourcePlugin<DataSource, IotLogsQuery, IotLogsOptions>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditorWithBoundary);
