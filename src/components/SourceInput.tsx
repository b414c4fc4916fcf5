import { createElement } from 'react';

import type { SourceEditorProps } from '../sources';
import { sourceEditor } from '../sources/editors';

/** The input of the chosen source: its kind's editor (src/sources/editors.ts), a module-level component. */
export function SourceInput(props: SourceEditorProps) {
  return createElement(sourceEditor(props.source.type), props);
}
