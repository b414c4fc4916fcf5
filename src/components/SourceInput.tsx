import React from 'react';

import { sourceKind, type SourceEditorProps } from '../sources';

/** The input of the chosen source: its kind's editor (src/sources). */
export function SourceInput(props: SourceEditorProps) {
  const { Editor } = sourceKind(props.source.type);
  return <Editor {...props} />;
}
