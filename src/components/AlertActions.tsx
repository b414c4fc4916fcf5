import React, { useMemo, useState } from 'react';
import { EditorRow } from '@grafana/plugin-ui';
import { config } from '@grafana/runtime';
import { Button, ClipboardButton, LinkButton, Stack, Text } from '@grafana/ui';

import { alertRuleYaml, newAlertRuleUrl } from '../alerts/alertRule';
import { queryAlert, queryAlertUid } from '../alerts/queryAlert';
import { READY_RULES_FOLDER, READY_RULES_GROUP } from '../alerts/readyRules';
import type { Replace } from '../query/interpolate';
import type { CloudWatchEditorContext } from '../sources/types';
import type { IotLogsQuery } from '../types';
import { selectors } from './selectors';

interface Props {
  query: IotLogsQuery;
  cloudWatch?: CloudWatchEditorContext;
  replace: Replace;
}

/**
 * Alerting for a query: Grafana evaluates alert rules on its server, where this data source cannot run,
 * so the rule is the equivalent Logs Insights stats query on the CloudWatch data source of the settings.
 * "Create alert rule" opens Grafana's new alert rule form prefilled; "Copy query" copies its Logs
 * Insights text; "Rule as YAML" shows it as a provisioning file.
 */
export function AlertActions({ query, cloudWatch, replace }: Props) {
  const [showYaml, setShowYaml] = useState(false);
  const alert = useMemo(
    () =>
      queryAlert(
        query,
        { cloudWatchUid: cloudWatch?.uid, region: cloudWatch?.region, logGroups: cloudWatch?.logGroups },
        replace
      ),
    [query, cloudWatch, replace]
  );
  if ('error' in alert) {
    return (
      <EditorRow>
        <div data-testid={selectors.queryEditor.alertUnavailable}>
          <Text color="secondary" variant="bodySmall">
            {alert.error}
          </Text>
        </div>
      </EditorRow>
    );
  }
  const yaml = showYaml
    ? alertRuleYaml(alert.spec, {
        folder: READY_RULES_FOLDER,
        group: READY_RULES_GROUP,
        uid: queryAlertUid(alert.spec),
      })
    : '';
  const href = `${config.appSubUrl ?? ''}${newAlertRuleUrl(alert.spec)}`;
  return (
    <EditorRow>
      <section aria-label="Alerting" data-testid={selectors.queryEditor.alert}>
        <Stack direction="column" gap={1}>
          <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
            <LinkButton size="sm" variant="secondary" icon="bell" href={href} target="_blank">
              Create alert rule
            </LinkButton>
            <ClipboardButton size="sm" variant="secondary" icon="copy" getText={() => alert.spec.expression}>
              Copy query
            </ClipboardButton>
            <Button size="sm" variant="secondary" icon="file-alt" onClick={() => setShowYaml(!showYaml)}>
              {showYaml ? 'Hide rule as YAML' : 'Rule as YAML'}
            </Button>
            <Text color="secondary" variant="bodySmall">
              Counts these entries per 5 minutes in CloudWatch Logs Insights; fires above {alert.spec.threshold}.
            </Text>
          </Stack>
          {alert.looser.length > 0 && (
            <Text color="warning" variant="bodySmall">
              The rule counts more than this query: Logs Insights cannot apply {alert.looser.join('; ')}.
            </Text>
          )}
          {showYaml && (
            <Stack direction="column" gap={0.5}>
              <pre aria-label="Alert rule as provisioning YAML" style={{ margin: 0, maxHeight: 320, overflow: 'auto' }}>
                {yaml}
              </pre>
              <div>
                <ClipboardButton size="sm" variant="secondary" icon="copy" getText={() => yaml}>
                  Copy YAML
                </ClipboardButton>
              </div>
            </Stack>
          )}
        </Stack>
      </section>
    </EditorRow>
  );
}
