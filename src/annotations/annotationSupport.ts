/**
 * The data source's annotation support (`this.annotations` in src/datasource.ts): annotations with their
 * own editor, any filter of a panel query, and time, title, text and tags mapped by default. Grafana runs
 * the query `prepareQuery` gives through the data source's `query()`; src/annotations/annotations.ts
 * holds the logic, this file only assembles it.
 */
import { createElement, type ComponentType } from 'react';
import type { AnnotationQuery, AnnotationSupport, DataFrame } from '@grafana/data';
import { of } from 'rxjs';

import type { IotLogsQuery } from '../types';
import {
  AnnotationQueryEditor,
  type AnnotationEditorContext,
  type AnnotationQueryEditorProps,
} from './AnnotationQueryEditor';
import { annotationRunQuery, annotationsFromFrames, getDefaultAnnotationQuery, prepareAnnotation } from './annotations';

export type { AnnotationEditorContext } from './AnnotationQueryEditor';

/**
 * The annotation support of a data source. `ds` gives the editor what the source editors and the run
 * summary need (the data source itself provides it); it is read when the editor renders.
 */
export function iotLogsAnnotationSupport(ds: AnnotationEditorContext): AnnotationSupport<IotLogsQuery> {
  // One component per data source, made once: Grafana passes its own `datasource` prop untyped.
  const QueryEditor: ComponentType<AnnotationQueryEditorProps> = (props) =>
    createElement(AnnotationQueryEditor, { ...props, context: ds });
  return {
    prepareAnnotation,
    prepareQuery: (anno: AnnotationQuery<IotLogsQuery>) => annotationRunQuery(anno),
    processEvents: (anno: AnnotationQuery<IotLogsQuery>, data: DataFrame[]) =>
      of(annotationsFromFrames(anno, data).events),
    QueryEditor,
    getDefaultQuery: () => getDefaultAnnotationQuery(),
  };
}
