/** Reads a container format; undefined for raw entries (the splitter reads those). */
import type { InputFormat } from '../types';
import { readCsv } from './csv';
import { readJsonContainer } from './json';
import { readS3Export } from './s3';
import { readSubscription } from './subscription';
import type { ContainerOutput } from './types';

export function readContainer(
  text: string,
  format: InputFormat,
  maxInflatedBytes?: number
): ContainerOutput | undefined {
  switch (format) {
    case 'insights-api':
    case 'insights-json':
    case 'filter-log-events':
    case 'get-log-events':
      return readJsonContainer(text, format);
    case 'insights-csv':
    case 'grafana-csv':
      return readCsv(text, format);
    case 's3-export':
      return readS3Export(text);
    case 'subscription':
      return readSubscription(text, maxInflatedBytes);
    default:
      return undefined;
  }
}
