/**
 * Finds the Grafana CloudWatch data source the settings chose (by uid), as the delegation needs it.
 * The only file of src/cloudwatch that loads @grafana/runtime: the others run in tests without Grafana.
 */
import { getDataSourceSrv } from '@grafana/runtime';

import { SourceError } from '../sources/types';
import type { CloudWatchApi } from './delegate';
import { CLOUDWATCH_TYPE } from './types';

const CHOOSE = "Choose a CloudWatch data source in this data source's settings";

/**
 * The CloudWatch data source of `uid`. Rejects with a SourceError whose message says what to do when no
 * uid is set, when Grafana does not know the uid (deleted, or hidden from a user who may not query it),
 * when the data source is not a CloudWatch one, or when it cannot be loaded.
 */
export async function findCloudWatch(uid: string | undefined): Promise<CloudWatchApi> {
  const trimmed = uid?.trim() ?? '';
  if (trimmed === '') {
    throw new SourceError(`${CHOOSE}: the CloudWatch source runs its queries through it.`);
  }
  // The DataSourceSrv is deprecated in 13.1 for @grafana/runtime/unstable, whose functions a plugin cannot
  // count on across versions; the lead's brief asks for this one.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const srv = getDataSourceSrv();
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const settings = srv.getInstanceSettings(trimmed);
  if (!settings) {
    throw new SourceError(
      `The CloudWatch data source chosen in this data source's settings (uid ${trimmed}) was not found, or your ` +
        `Grafana user may not query it. ${CHOOSE}, or ask an administrator for query access.`
    );
  }
  if (settings.type !== CLOUDWATCH_TYPE) {
    throw new SourceError(
      `The data source chosen in this data source's settings ("${settings.name}") is of type ${settings.type}, ` +
        `not a CloudWatch data source. ${CHOOSE}.`
    );
  }
  let api: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    api = await srv.get({ type: CLOUDWATCH_TYPE, uid: trimmed });
  } catch (e) {
    const text = e instanceof Error ? e.message : String(e);
    if (/403|forbidden|permission|access denied/i.test(text)) {
      throw new SourceError(
        `Your Grafana user may not query the CloudWatch data source "${settings.name}": ask an administrator for ` +
          `query access, or ${CHOOSE.charAt(0).toLowerCase()}${CHOOSE.slice(1)} (${text}).`
      );
    }
    throw new SourceError(`The CloudWatch data source "${settings.name}" could not be loaded: ${text}`);
  }
  const ds = api as (Partial<CloudWatchApi> & { type?: string; meta?: { id?: string } }) | undefined;
  const type = ds?.meta?.id ?? ds?.type;
  if (!ds || typeof ds.query !== 'function' || (type !== undefined && type !== CLOUDWATCH_TYPE)) {
    throw new SourceError(`The data source "${settings.name}" is not a CloudWatch data source. ${CHOOSE}.`);
  }
  const query = ds.query.bind(ds);
  return { name: ds.name ?? settings.name, query };
}
