import Ajv from 'ajv';
import { readdirSync, readFileSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';

import {
  alertQueries,
  alertRuleFile,
  alertRuleFormValues,
  alertRuleUid,
  alertRuleYaml,
  cloudWatchAlertTarget,
  durationText,
  logGroupRef,
  newAlertRuleUrl,
  type AlertRuleSpec,
} from './alertRule';
import {
  PLACEHOLDER_CLOUDWATCH_UID,
  READY_RULES,
  READY_RULES_FILE,
  READY_RULES_FOLDER,
  READY_RULES_GROUP,
  READY_RULES_HEADER,
} from './readyRules';

const ROOT = resolve(__dirname, '../..');
// yaml's browser build, which this jsdom project resolves `yaml` to, is ES modules that jest does not
// compile in node_modules: load its Node (CommonJS) build by path.
const { parse } = require(join(ROOT, 'node_modules/yaml/dist/index.js')) as typeof import('yaml');
const SCHEMA = JSON.parse(readFileSync(join(ROOT, 'testdata/schemas/alert-rules-provisioning.schema.json'), 'utf8'));

const CONNECT_FAILURES = 'filter eventType = "Connect" and status = "Failure" | stats count(*) as count by bin(5m)';

const base: AlertRuleSpec = {
  title: 'Connection failures',
  expression: CONNECT_FAILURES,
  statsGroups: ['bin(5m)'],
  cloudWatchUid: 'cw-prod',
  region: 'eu-west-1',
  logGroups: ['AWSIotLogsV2'],
  intervalSeconds: 300,
  threshold: 3,
};

/** The form values a URL carries, as Grafana's form reads them (URLSearchParams, JSON.parse). */
function decode(url: string): { path: string; defaults: unknown; returnTo: string | null } {
  const u = new URL(url, 'http://grafana.example');
  return {
    path: u.pathname,
    defaults: JSON.parse(u.searchParams.get('defaults') ?? 'null'),
    returnTo: u.searchParams.get('returnTo'),
  };
}

const expr = { type: '__expr__', uid: '__expr__' };

function expectedForm(spec: AlertRuleSpec, target: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    type: 'grafana-alerting',
    name: spec.title,
    queries: [
      {
        refId: 'A',
        queryType: '',
        // the window ends a minute before the evaluation: entries reach CloudWatch some seconds late
        relativeTimeRange: { from: (spec.windowSeconds ?? spec.intervalSeconds) + 60, to: 60 },
        datasourceUid: spec.cloudWatchUid,
        model: target,
      },
      {
        refId: 'B',
        queryType: '',
        datasourceUid: '__expr__',
        model: {
          refId: 'B',
          datasource: expr,
          type: 'reduce',
          reducer: 'sum',
          expression: 'A',
          settings: { mode: 'replaceNN', replaceWithValue: 0 },
        },
      },
      {
        refId: 'C',
        queryType: '',
        datasourceUid: '__expr__',
        model: {
          refId: 'C',
          datasource: expr,
          type: 'threshold',
          expression: 'B',
          conditions: [{ type: 'query', evaluator: { type: 'gt', params: [spec.threshold] } }],
        },
      },
    ],
    condition: 'C',
    noDataState: 'OK',
    execErrState: 'Error',
    evaluateFor: '5m',
    annotations: [],
    labels: [],
    ...extra,
  };
}

describe('cloudWatchAlertTarget', () => {
  it('is the CloudWatch data source logs target, refId A', () => {
    expect(cloudWatchAlertTarget(base)).toEqual({
      refId: 'A',
      datasource: { type: 'cloudwatch', uid: 'cw-prod' },
      queryMode: 'Logs',
      id: '',
      region: 'eu-west-1',
      queryLanguage: 'CWLI',
      expression: CONNECT_FAILURES,
      logGroups: [{ arn: 'AWSIotLogsV2', name: 'AWSIotLogsV2' }],
      statsGroups: ['bin(5m)'],
    });
  });

  it('reads AWSIotLogsV2 when no log group is given, and the default region when none is', () => {
    const target = cloudWatchAlertTarget({ ...base, logGroups: [' ', ''], region: '' });
    expect(target.logGroups).toEqual([{ arn: 'AWSIotLogsV2', name: 'AWSIotLogsV2' }]);
    expect(target.region).toBe('default');
  });

  it('keeps ARNs as ARNs and names the group after them', () => {
    expect(logGroupRef('arn:aws:logs:us-east-1:123456789012:log-group:AWSIotLogsV2:*')).toEqual({
      arn: 'arn:aws:logs:us-east-1:123456789012:log-group:AWSIotLogsV2:*',
      name: 'AWSIotLogsV2',
    });
    expect(logGroupRef('arn:aws-cn:logs:cn-north-1:123456789012:log-group:/iot/fleet-a')).toEqual({
      arn: 'arn:aws-cn:logs:cn-north-1:123456789012:log-group:/iot/fleet-a',
      name: '/iot/fleet-a',
    });
    expect(logGroupRef(' /iot/fleet-b ')).toEqual({ arn: '/iot/fleet-b', name: '/iot/fleet-b' });
  });
});

describe('newAlertRuleUrl', () => {
  it('opens the new alert rule form with the rule as its defaults', () => {
    const { path, defaults, returnTo } = decode(newAlertRuleUrl(base));
    expect(path).toBe('/alerting/new/alerting');
    expect(returnTo).toBeNull();
    expect(defaults).toEqual(expectedForm(base, { ...cloudWatchAlertTarget(base) }));
  });

  it('splits by a field: the stats groups carry it, one alert instance per value', () => {
    const spec: AlertRuleSpec = {
      ...base,
      title: 'Authorization failures by client',
      expression: 'filter reason = "AUTHORIZATION_FAILURE" | stats count(*) as failures by bin(1m), clientId',
      statsGroups: ['bin(1m)', 'clientId'],
      intervalSeconds: 60,
      threshold: 0,
      forDuration: '0s',
      summary: 'A client is refused by its policy',
      labels: { team: 'iot', severity: 'warning' },
    };
    const { defaults } = decode(newAlertRuleUrl(spec, { returnTo: '/d/aws-iot?orgId=1&var-client=a b' }));
    expect(defaults).toEqual(
      expectedForm(
        spec,
        {
          refId: 'A',
          datasource: { type: 'cloudwatch', uid: 'cw-prod' },
          queryMode: 'Logs',
          id: '',
          region: 'eu-west-1',
          queryLanguage: 'CWLI',
          expression: spec.expression,
          logGroups: [{ arn: 'AWSIotLogsV2', name: 'AWSIotLogsV2' }],
          statsGroups: ['bin(1m)', 'clientId'],
        },
        {
          evaluateFor: '0s',
          annotations: [{ key: 'summary', value: 'A client is refused by its policy' }],
          labels: [
            { key: 'team', value: 'iot' },
            { key: 'severity', value: 'warning' },
          ],
        }
      )
    );
    expect(decode(newAlertRuleUrl(spec, { returnTo: '/d/aws-iot?orgId=1&var-client=a b' })).returnTo).toBe(
      '/d/aws-iot?orgId=1&var-client=a b'
    );
  });

  it('passes the default region through, and several log groups, names and ARNs', () => {
    const spec: AlertRuleSpec = {
      ...base,
      region: 'default',
      logGroups: ['AWSIotLogsV2', 'arn:aws:logs:eu-west-1:123456789012:log-group:/iot/other:*'],
      windowSeconds: 900,
    };
    const { defaults } = decode(newAlertRuleUrl(spec));
    const form = defaults as ReturnType<typeof alertRuleFormValues>;
    expect(form.queries[0]).toEqual({
      refId: 'A',
      queryType: '',
      relativeTimeRange: { from: 960, to: 60 },
      datasourceUid: 'cw-prod',
      model: {
        refId: 'A',
        datasource: { type: 'cloudwatch', uid: 'cw-prod' },
        queryMode: 'Logs',
        id: '',
        region: 'default',
        queryLanguage: 'CWLI',
        expression: CONNECT_FAILURES,
        logGroups: [
          { arn: 'AWSIotLogsV2', name: 'AWSIotLogsV2' },
          { arn: 'arn:aws:logs:eu-west-1:123456789012:log-group:/iot/other:*', name: '/iot/other' },
        ],
        statsGroups: ['bin(5m)'],
      },
    });
    expect(defaults).toEqual(alertRuleFormValues(spec));
  });

  it('survives every character in the expression (quotes, pipes, regexes, &, #, +, unicode)', () => {
    const spec = {
      ...base,
      title: 'Tricky & "quoted" #1 + ü',
      expression: 'filter details like /(?i)a&b#c\\+d%20/ and topicName = "x/+/y" | stats count(*) by bin(5m)',
    };
    const { defaults } = decode(newAlertRuleUrl(spec, { returnTo: '/explore?left={"a":1}' }));
    expect(defaults).toEqual(alertRuleFormValues(spec));
  });

  it('fits what Grafana 13 coerces form defaults into (alertingAlertRuleFormSchema)', () => {
    const form = decode(newAlertRuleUrl({ ...base, labels: { a: 'b' }, summary: 's' })).defaults as Record<
      string,
      unknown
    >;
    expect(['grafana-alerting', 'grafana-recording', 'cloud-alerting', 'cloud-recording']).toContain(form.type);
    for (const state of [form.noDataState, form.execErrState]) {
      expect(['Alerting', 'NoData', 'KeepLast', 'OK', 'Error']).toContain(state);
    }
    for (const list of [form.labels, form.annotations] as Array<Array<Record<string, unknown>>>) {
      for (const kv of list) {
        expect(Object.keys(kv).sort()).toEqual(['key', 'value']);
        expect(typeof kv.key).toBe('string');
        expect(typeof kv.value).toBe('string');
      }
    }
    const queries = form.queries as Array<Record<string, any>>;
    for (const q of queries) {
      expect(typeof q.refId).toBe('string');
      expect(typeof q.queryType).toBe('string');
      expect(typeof q.datasourceUid).toBe('string');
      expect(q.model.refId).toBe(q.refId);
      if (q.relativeTimeRange) {
        expect(typeof q.relativeTimeRange.from).toBe('number');
        expect(typeof q.relativeTimeRange.to).toBe('number');
      }
    }
    expect(queries.map((q) => q.refId)).toContain(form.condition);
  });
});

describe('alertQueries', () => {
  it('chains A → B (sum) → C (threshold), expressions on __expr__', () => {
    const [a, b, c] = alertQueries({ ...base, threshold: 7.5 });
    expect(a.datasourceUid).toBe('cw-prod');
    expect(b.model).toMatchObject({ type: 'reduce', reducer: 'sum', expression: 'A', datasource: expr });
    expect(c.model).toMatchObject({ type: 'threshold', expression: 'B', datasource: expr });
    expect((c.model.conditions as any)[0].evaluator).toEqual({ type: 'gt', params: [7.5] });
    expect(b.relativeTimeRange).toBeUndefined();
  });

  it('refuses what Grafana would refuse', () => {
    expect(() => alertQueries({ ...base, title: ' ' })).toThrow(/title/);
    expect(() => alertQueries({ ...base, expression: '' })).toThrow(/expression/);
    expect(() => alertQueries({ ...base, cloudWatchUid: '' })).toThrow(/uid/);
    expect(() => alertQueries({ ...base, intervalSeconds: 0 })).toThrow(/intervalSeconds/);
    expect(() => alertQueries({ ...base, intervalSeconds: 2.5 })).toThrow(/intervalSeconds/);
    expect(() => alertQueries({ ...base, windowSeconds: -60 })).toThrow(/windowSeconds/);
    expect(() => alertQueries({ ...base, threshold: NaN })).toThrow(/threshold/);
  });
});

// ------------------------------------------------------------------------------------------------
// File provisioning.

const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile(SCHEMA);

/** Schema errors, and what the schema cannot say: condition among the refIds, from > to for data. */
function problems(file: unknown): string[] {
  const out: string[] = [];
  if (!validate(file)) {
    out.push(ajv.errorsText(validate.errors, { separator: '\n' }));
  }
  const uids = new Set<string>();
  for (const group of (file as any)?.groups ?? []) {
    for (const rule of group.rules ?? []) {
      if (uids.has(rule.uid)) {
        out.push(`uid ${rule.uid} twice`);
      }
      uids.add(rule.uid);
      const refIds = (rule.data ?? []).map((q: any) => q.refId);
      if (!refIds.includes(rule.condition)) {
        out.push(`${rule.uid}: condition ${rule.condition} not in ${refIds}`);
      }
      for (const q of rule.data ?? []) {
        if (q.datasourceUid !== '__expr__' && !(q.relativeTimeRange?.from > q.relativeTimeRange?.to)) {
          out.push(`${rule.uid}/${q.refId}: relativeTimeRange.from must be above to`);
        }
      }
    }
  }
  return out;
}

describe('the provisioning schema', () => {
  it('catches what Grafana refuses or would drop', () => {
    const good = alertRuleFile(base, { folder: 'F', group: 'g' });
    expect(problems(good)).toEqual([]);
    const broken = JSON.parse(JSON.stringify(good));
    broken.groups[0].rules[0].uid = 'x'.repeat(41);
    broken.groups[0].rules[0].noDataState = 'Ok';
    broken.groups[0].rules[0].condtion = 'C';
    broken.groups[0].rules[0].data[0].relativeTimeRange = { from: 300.5, to: 0 };
    broken.groups[0].interval = '5 minutes';
    const found = problems(broken).join('\n');
    for (const path of ['.uid', '.noDataState', 'additional properties', '.relativeTimeRange.from', '.interval']) {
      expect(found).toContain(path);
    }
    const inverted = JSON.parse(JSON.stringify(good));
    inverted.groups[0].rules[0].data[0].relativeTimeRange = { from: 0, to: 300 };
    inverted.groups[0].rules[0].condition = 'D';
    expect(problems(inverted)).toHaveLength(2);
  });
});

describe('alertRuleYaml', () => {
  it('writes one rule Grafana provisions: the three queries, states, for, labels, annotations', () => {
    const spec = { ...base, summary: 'Failed connects', labels: { team: 'iot' } };
    const text = alertRuleYaml(spec, { folder: 'AWS IoT', group: 'iot', uid: 'connect-failures' });
    const file = parse(text);
    expect(problems(file)).toEqual([]);
    expect(file).toEqual({
      apiVersion: 1,
      groups: [
        {
          orgId: 1,
          name: 'iot',
          folder: 'AWS IoT',
          interval: '5m',
          rules: [
            {
              uid: 'connect-failures',
              title: 'Connection failures',
              condition: 'C',
              data: alertQueries(spec).map(({ queryType, ...q }) => q),
              noDataState: 'OK',
              execErrState: 'Error',
              for: '5m',
              annotations: { summary: 'Failed connects' },
              labels: { team: 'iot' },
              isPaused: false,
            },
          ],
        },
      ],
    });
    expect(text).toContain("    interval: '5m'\n");
    expect(text).toContain('            - bin(5m)\n');
  });

  it('quotes whatever YAML could misread, so the text parses back to the same values', () => {
    const spec: AlertRuleSpec = {
      ...base,
      title: 'Failures: "connect" # not a comment',
      region: 'yes',
      logGroups: ['null', '001', 'on', '- x', 'a: b', '[1]', '{a}', '*ref', '&anchor', '!tag', '%p', '@x', '`x`'],
      summary: "it's\nmulti-line\ttabbed ü ✓ 🙂",
      labels: {
        'key with space': 'true',
        '123': '1e3',
        empty: '',
        trailing: 'x ',
        quotes: 'he said "it\'s" \\d+',
        apostrophes: "it's Bob's",
      },
      threshold: 0.25,
    };
    const file = alertRuleFile(spec, { folder: 'a/b', group: 'g: 1' });
    expect(parse(alertRuleYaml(spec, { folder: 'a/b', group: 'g: 1' }))).toEqual(JSON.parse(JSON.stringify(file)));
  });

  it('names rules after their titles and refuses uids Grafana refuses', () => {
    expect(alertRuleUid('AWS IoT duplicate client ID disconnects')).toBe('aws-iot-duplicate-client-id-disconnects');
    expect(alertRuleUid('Connection failures')).toBe('aws-iot-connection-failures');
    expect(alertRuleUid('x'.repeat(60))).toHaveLength(40);
    expect(() => alertRuleYaml(base, { folder: 'f', group: 'g', uid: 'has space' })).toThrow(/uid/);
    expect(() => alertRuleYaml(base, { folder: 'f', group: 'g', uid: 'x'.repeat(41) })).toThrow(/uid/);
    expect(() => alertRuleYaml([base, { ...base, intervalSeconds: 60 }], { folder: 'f', group: 'g' })).toThrow(
      /interval/
    );
    expect(() => alertRuleYaml([base, base], { folder: 'f', group: 'g' })).toThrow(/uid/);
    expect(() => alertRuleYaml(base, { folder: ' ', group: 'g' })).toThrow(/folder/);
  });

  it('writes durations as Grafana reads them', () => {
    expect([durationText(10), durationText(60), durationText(300), durationText(3600), durationText(90)]).toEqual([
      '10s',
      '1m',
      '5m',
      '1h',
      '90s',
    ]);
  });
});

// ------------------------------------------------------------------------------------------------
// The ready rules shipped in provisioning/alerting.

describe('ready rules', () => {
  const path = join(ROOT, READY_RULES_FILE);
  const generated = alertRuleYaml(READY_RULES, { folder: READY_RULES_FOLDER, group: READY_RULES_GROUP });

  if (process.env.UPDATE_READY_RULES) {
    writeFileSync(path, `${READY_RULES_HEADER}${generated}`);
  }

  it('the shipped file says what readyRules.ts generates (UPDATE_READY_RULES=1 rewrites it)', () => {
    const shipped = readFileSync(path, 'utf8');
    expect(shipped.startsWith(READY_RULES_HEADER)).toBe(true);
    expect(parse(shipped)).toEqual(parse(generated));
  });

  it('the shipped file is a valid provisioning file', () => {
    expect(problems(parse(readFileSync(path, 'utf8')))).toEqual([]);
  });

  it('covers the common failures, each a stats query on AWSIotLogsV2 by the placeholder uid', () => {
    expect(READY_RULES.map((r) => alertRuleUid(r.title))).toEqual([
      'aws-iot-connection-failures',
      'aws-iot-authorization-failures',
      'aws-iot-rule-failures',
      'aws-iot-throttling',
      'aws-iot-duplicate-client-id-disconnects',
      'aws-iot-failed-job-executions',
    ]);
    for (const r of READY_RULES) {
      const target = cloudWatchAlertTarget(r);
      expect(target.datasource).toEqual({ type: 'cloudwatch', uid: PLACEHOLDER_CLOUDWATCH_UID });
      expect(target.logGroups).toEqual([{ arn: 'AWSIotLogsV2', name: 'AWSIotLogsV2' }]);
      // The stats groups are the expression's `by` list, the bin first and as wide as the interval.
      const [filter, stats] = r.expression.split(' | ');
      expect(filter).toMatch(/^filter /);
      expect(stats).toBe(`stats count(*) as ${/as (\w+)/.exec(stats)?.[1]} by ${r.statsGroups.join(', ')}`);
      expect(r.statsGroups[0]).toBe(`bin(${durationText(r.intervalSeconds)})`);
      // Balanced quotes, parentheses and regex slashes.
      const outsideStrings = filter.replace(/"[^"]*"/g, '""').replace(/\/[^/]*\//g, '//');
      expect(outsideStrings.split('(').length).toBe(outsideStrings.split(')').length);
      expect(outsideStrings).not.toMatch(/["/][^"/ ,\])]/);
    }
    const text = READY_RULES.map((r) => r.expression).join('\n');
    for (const needle of [
      'eventType = "Connect" and status = "Failure"',
      'reason = "AUTHORIZATION_FAILURE"',
      '"Publish-In"',
      '"RuleExecution"',
      '"RuleMessageThrottled"',
      'disconnectReason = "THROTTLED"',
      '"DUPLICATE_CLIENTID"',
      '"DUPLICATE_CLIENT_ID"',
      'FAILED|REJECTED|TIMED_OUT',
      '"ReportFinalJobExecutionCount"',
    ]) {
      expect(text).toContain(needle);
    }
  });

  it('ships the ready rules in provisioning/alerting, which the demo replaces by a folder without rules', () => {
    expect(READY_RULES_FILE.startsWith('provisioning/alerting/')).toBe(true);
    // docker-compose.yaml mounts another folder over Grafana's alerting provisioning unless asked
    const compose = parse(readFileSync(join(ROOT, 'docker-compose.yaml'), 'utf8'));
    const mounts: string[] = compose.services.grafana.volumes ?? [];
    const mount = mounts.find((v) => v.endsWith(':/etc/grafana/provisioning/alerting'));
    expect(mount).toBe('${ALERTING_PROVISIONING:-./provisioning/alerting-demo}:/etc/grafana/provisioning/alerting');
    const demo = join(ROOT, 'provisioning/alerting-demo');
    expect(readdirSync(demo).filter((n) => /\.(ya?ml|json)$/.test(n))).toEqual([]);
    // what the demo does load reads only data sources it provisions
    const uids = new Set<string>();
    const dsDir = join(ROOT, 'provisioning/datasources');
    for (const f of readdirSync(dsDir).filter((n) => /\.ya?ml$/.test(n))) {
      for (const ds of parse(readFileSync(join(dsDir, f), 'utf8'))?.datasources ?? []) {
        uids.add(ds.uid);
      }
    }
    expect(uids.size).toBeGreaterThan(0);
  });
});
