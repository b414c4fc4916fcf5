/**
 * "Save & test": what the settings page reports. It really tries what is configured (a tiny Logs Insights
 * query through the CloudWatch data source, a request for the base URL through the data proxy) and says
 * plainly what is wrong; with nothing configured, what works without settings.
 */
import type { TestDataSourceResponse } from '@grafana/data';

import type { CloudWatchCheck } from './cloudwatch/context';

export interface SettingsChecks {
  /** Runs the CloudWatch check; absent when no CloudWatch data source is chosen. */
  cloudWatch?: () => Promise<CloudWatchCheck>;
  baseUrl?: string;
  /** The base URL's HTTP status through the data proxy (0: no answer). */
  fetchBaseUrl?: () => Promise<number>;
}

/** What a status of the base URL means for the URL source. */
export function baseUrlCheck(baseUrl: string, status: number): CloudWatchCheck {
  if (status >= 200 && status < 400) {
    return { ok: true, message: `URL source: ${baseUrl} answered (HTTP ${status}).` };
  }
  if (status === 401 || status === 403) {
    return {
      ok: false,
      message: `URL source: ${baseUrl} refused the request (HTTP ${status}): check the Authorization header.`,
    };
  }
  if (status === 404 || status === 405) {
    // The server answers; the base URL itself need not be a file.
    return { ok: true, message: `URL source: ${baseUrl} is reachable (HTTP ${status} for the base URL itself).` };
  }
  if (status === 0 || status === 502 || status === 503 || status === 504) {
    return {
      ok: false,
      message: `URL source: Grafana could not reach ${baseUrl}${status ? ` (HTTP ${status})` : ''}: check the URL and that the Grafana server can reach it.`,
    };
  }
  return { ok: false, message: `URL source: ${baseUrl} answered HTTP ${status}.` };
}

export async function testSettings(checks: SettingsChecks): Promise<TestDataSourceResponse> {
  const results: CloudWatchCheck[] = [];
  if (checks.cloudWatch) {
    results.push(await checks.cloudWatch());
  }
  if (checks.baseUrl && checks.fetchBaseUrl) {
    results.push(baseUrlCheck(checks.baseUrl, await checks.fetchBaseUrl()));
  }
  if (results.length === 0) {
    return {
      status: 'success',
      message:
        'AWS IoT Logs is ready: paste or upload entries, or use the sample. Choose a CloudWatch data source for live data, or set a base URL to read files from a server.',
    };
  }
  const failed = results.filter((r) => !r.ok);
  return {
    status: failed.length > 0 ? 'error' : 'success',
    message: (failed.length > 0 ? failed : results).map((r) => r.message).join(' '),
    ...(failed.length > 0 && failed.length < results.length
      ? {
          details: {
            message: results
              .filter((r) => r.ok)
              .map((r) => r.message)
              .join(' '),
          },
        }
      : {}),
  };
}
