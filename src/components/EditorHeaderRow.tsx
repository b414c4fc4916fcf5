import React, { useId } from 'react';
import { EditorHeader, FlexItem, InlineSelect } from '@grafana/plugin-ui';
import { Button, RadioButtonGroup } from '@grafana/ui';

import { SOURCE_TYPES, sourceKind } from '../sources';
import type { OutputMode, SourceType } from '../types';
import { OUTPUT_MODE_OPTIONS } from './queryEditorOptions';
import { selectors } from './selectors';
import { srOnly } from './styles';

/** Every source kind, as its module names and describes it. */
const SOURCE_OPTIONS = SOURCE_TYPES.map((type) => {
  const { label, description } = sourceKind(type);
  return { label, value: type, description };
});

interface Props {
  source: SourceType;
  output: OutputMode;
  /** The query differs from the one last run (or never ran): the Run button is highlighted. */
  changed: boolean;
  onSource: (type: SourceType) => void;
  onOutput: (mode: OutputMode) => void;
  onRun: () => void;
}

/** Where the entries come from, what the query returns, and Run. */
export function EditorHeaderRow({ source, output, changed, onSource, onOutput, onRun }: Props) {
  const changedId = useId();
  return (
    <div data-testid={selectors.queryEditor.header}>
      <EditorHeader>
        <div role="radiogroup" aria-label="Source" data-testid={selectors.queryEditor.source}>
          <RadioButtonGroup size="sm" options={SOURCE_OPTIONS} value={source} onChange={onSource} />
        </div>
        <div data-testid={selectors.queryEditor.output}>
          <InlineSelect
            label="Output"
            aria-label="Output"
            options={[...OUTPUT_MODE_OPTIONS]}
            value={output}
            onChange={(option) => option.value && onOutput(option.value)}
          />
        </div>
        <FlexItem grow={1} />
        <Button
          size="sm"
          icon="play"
          variant={changed ? 'primary' : 'secondary'}
          data-testid={selectors.queryEditor.run}
          aria-describedby={changed ? changedId : undefined}
          onClick={onRun}
        >
          Run query
        </Button>
        {changed && (
          <span id={changedId} className={srOnly}>
            The query changed since it last ran.
          </span>
        )}
      </EditorHeader>
    </div>
  );
}
