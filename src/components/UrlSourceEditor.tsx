import React from 'react';
import { EditorField } from '@grafana/plugin-ui';
import { Alert, Input } from '@grafana/ui';

import { checkUrlPath } from '../query/urlPath';
import type { UrlSource } from '../types';
import { selectors } from './selectors';

interface Props {
  id: string;
  source: UrlSource;
  baseUrl: string | undefined;
  onChange: (source: UrlSource) => void;
  /** The path lost focus (the editor runs the query if it changed since the last run). */
  onBlur: () => void;
}

/** A path under the administrator's base URL (template variables allowed). */
export function UrlSourceEditor({ id, source, baseUrl, onChange, onBlur }: Props) {
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
        onChange={(e) => onChange({ type: 'url', path: e.currentTarget.value })}
        onBlur={onBlur}
      />
    </EditorField>
  );
}
