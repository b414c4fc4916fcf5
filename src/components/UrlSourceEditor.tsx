import React from 'react';
import { EditorField } from '@grafana/plugin-ui';
import { Alert, Input } from '@grafana/ui';

import { checkUrlPath } from '../query/urlPath';
import type { SourceEditorProps } from '../sources/types';
import type { UrlSource } from '../types';
import { selectors } from './selectors';

/** A path under the administrator's base URL (template variables allowed); it runs on blur. */
export function UrlSourceEditor({ refId, source, datasource, onChange, onBlur }: SourceEditorProps<UrlSource>) {
  const id = `${refId}-url-path`;
  const { baseUrl } = datasource;
  if (!baseUrl) {
    return (
      <Alert severity="info" title="No base URL configured">
        An administrator sets the base URL (and an optional Authorization header) in the data source settings. Queries
        can then read files under it.
      </Alert>
    );
  }
  const checked = source.path.includes('$') ? undefined : checkUrlPath(source.path);
  const invalid = checked !== undefined && !checked.ok && source.path !== '';
  return (
    <EditorField
      label="Path"
      htmlFor={id}
      width={60}
      invalid={invalid}
      error={invalid && !checked.ok ? checked.message : undefined}
      tooltip={`A file under ${baseUrl}, fetched through Grafana's data proxy. Template variables are interpolated.`}
    >
      <Input
        id={id}
        data-testid={selectors.queryEditor.urlPath}
        prefix={<span>{baseUrl.replace(/\/?$/, '/')}</span>}
        value={source.path}
        placeholder="logs/2024-03-04.json.gz"
        onChange={(e) => onChange({ type: 'url', path: e.currentTarget.value }, false)}
        onBlur={onBlur}
      />
    </EditorField>
  );
}
