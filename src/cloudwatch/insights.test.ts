import { NO_FILTER, type ResolvedFieldFilter, type RowFilter } from '../query/filter';
import {
  binPeriod,
  entriesQuery,
  fieldName,
  quoteString,
  regexLiteral,
  statsQuery,
  translateJsRegex,
} from './insights';

const HEAD = 'fields @timestamp, @message, @logStream, @log';
const TAIL = 'sort @timestamp desc | limit 100';

function q(filter: Partial<RowFilter>, limit = 100) {
  return entriesQuery({ ...NO_FILTER, ...filter }, { limit });
}

/** The filter commands of an entries query. */
function filters(filter: Partial<RowFilter>): string[] {
  const parts = q(filter).expression.split(' | ');
  return parts.slice(1, -2);
}

function field(f: string, op: ResolvedFieldFilter['op'], ...values: string[]) {
  return { fieldFilters: [{ field: f, op, values }] };
}

describe('entriesQuery', () => {
  it('writes no filter for no filter, and caps the limit at 10,000', () => {
    expect(q({}).expression).toBe(`${HEAD} | ${TAIL}`);
    expect(q({}, 50_000).expression).toBe(`${HEAD} | sort @timestamp desc | limit 10000`);
    expect(q({}, 0).expression).toBe(`${HEAD} | sort @timestamp desc | limit 1`);
    expect(q({}).pushedDown).toEqual([]);
    expect(q({}).afterParse).toEqual([]);
  });

  it('ignores the time range (the CloudWatch source takes the panel range)', () => {
    expect(q({ timeRange: { from: 1, to: 2 } }).expression).toBe(`${HEAD} | ${TAIL}`);
  });

  it('pushes event types as a set', () => {
    const query = q({ eventTypes: ['Disconnect', 'Connect', 'Connect'] });
    expect(query.expression).toBe(`${HEAD} | filter eventType in ["Connect", "Disconnect"] | ${TAIL}`);
    expect(query.pushedDown).toEqual(['eventType in (Connect, Disconnect)']);
  });

  it('pushes components as their event types, and both lists as two clauses (AND)', () => {
    expect(filters({ components: ['jobs'] })).toEqual([
      'filter eventType in ["GetPendingJobExecution", "DescribeJobExecution", "UpdateJobExecution", "StartNextPendingJobExecution", "ReportFinalJobExecutionCount"]',
    ]);
    expect(filters({ components: ['ocsp'], eventTypes: ['Connect'] })).toEqual([
      'filter eventType in ["Connect"]',
      'filter eventType in ["RetrieveOCSPStapleData"]',
    ]);
  });

  it('pushes the unknown component as "none of the registered event types" of the other components', () => {
    const [clause] = filters({ components: ['unknown', 'ocsp'] });
    expect(clause.startsWith('filter not (eventType in ["Connect", ')).toBe(true);
    expect(clause).not.toContain('RetrieveOCSPStapleData');
    // every component: nothing to filter
    expect(
      filters({
        components: [
          'message-broker',
          'ocsp',
          'device-shadow',
          'rules-engine',
          'jobs',
          'device-provisioning',
          'thing-groups',
          'fleet-indexing',
          'unknown',
        ],
      })
    ).toEqual([]);
  });

  it('leaves a component with no registered event type after parse', () => {
    const query = q({ components: ['nope'] });
    expect(query.expression).toBe(`${HEAD} | ${TAIL}`);
    expect(query.afterParse).toEqual([
      'component in (nope) (compared after parsing: no registered event type has that component)',
    ]);
  });

  it('pushes statuses and log levels case-insensitively, with the Kelvin sign beside k', () => {
    expect(filters({ statuses: ['failure', 'Success'] })).toEqual(['filter status like /(?i)^(?:Success|failure)$/']);
    expect(filters({ logLevels: ['WARN', 'k'] })).toEqual(['filter logLevel like /(?i)^(?:WARN|[k\\x{212A}])$/']);
    expect(q({ statuses: ['Fail ure'] }).afterParse).toEqual([
      'status in (Fail ure) (compared after parsing: only letters, digits, _, . and - are compared in AWS)',
    ]);
  });

  it('pushes = on text values as a set, numbers as numbers or any spelling of them', () => {
    expect(filters(field('clientId', '=', 'sensor-1', 'sensor-2'))).toEqual([
      'filter clientId in ["sensor-1", "sensor-2"]',
    ]);
    const [port] = filters(field('sourcePort', '=', '5000'));
    expect(port).toMatch(
      /^filter \(sourcePort = 5000 or sourcePort like \/\^\[.*\]\*0\*5000\(\?:\\x\{2E\}0\*\)\?\[.*\]\*\$\|\[eE\]\/\)$/
    );
    const [job] = filters(field('jobId_x', '=', '002'));
    expect(job).toContain('`jobId_x` = 2 or `jobId_x` like /'); // `_` is not alphanumeric: backticks [G]
    expect(filters(field('a-b', '=', 'x'))).toEqual(['filter `a-b` in ["x"]']);
    expect(filters(field('resources.RepublishTopic', '=', 'x'))).toEqual(['filter resources.RepublishTopic in ["x"]']);
  });

  it('writes values that need escapes as an escaped regular expression, never as raw text', () => {
    expect(filters(field('clientId', '=', 'a"b', 'c|d', "e'f", 'g\\h', 'i\nj', 'k/l', 'é', '😀'))).toEqual([
      'filter clientId like /^(?:a\\x{22}b|c\\x{7C}d|e\\x{27}f|g\\x{5C}h|i\\x{A}j|k\\x{2F}l|\\x{E9}|\\x{1F600})$/',
    ]);
  });

  it('leaves = after parse where AWS may read the value differently', () => {
    expect(q(field('retain', '=', 'true')).afterParse[0]).toContain('AWS types true and false');
    expect(q(field('x', '=', '[1]')).afterParse[0]).toContain('arrays and objects');
    expect(q(field('x', '=', '-5')).afterParse[0]).toContain('AWS may read this number differently');
    expect(q(field('x', '=', '1e300')).afterParse[0]).toContain('AWS may read this number differently');
    expect(q(field('thingName', '=', 'x')).afterParse[0]).toContain('derives');
    expect(q(field('severity', '=', 'x')).afterParse[0]).toContain('AWS may name this field differently');
    expect(q(field('body_extracted', '=', 'x')).afterParse[0]).toContain('AWS may name this field differently');
    expect(q(field('details_2', '=', 'x')).afterParse[0]).toContain('AWS may name this field differently');
    expect(q(field('@x', '=', 'x')).afterParse[0]).toContain('AWS may name this field differently');
    expect(q(field('a b', '=', 'x')).afterParse[0]).toContain('AWS may name this field differently');
  });

  it('pushes =~ on documented text attributes only', () => {
    expect(filters(field('reason', '=~', '^AUTH'))).toEqual(['filter reason like /^AUTH/']);
    expect(filters(field('reason', '=~', '(?i)auth.*fail'))).toEqual([
      'filter reason like /(?i)auth(?:(?:[^\\x{A}\\x{D}\\x{2028}\\x{2029}])?)*fail/',
    ]);
    expect(filters(field('clientId', '=~', 'a', 'b/c'))).toEqual(['filter clientId like /(?:a)|(?:b\\x{2F}c)/']);
    expect(q(field('sourcePort', '=~', '50')).afterParse[0]).toContain('documented text attributes');
    expect(q(field('custom', '=~', 'x')).afterParse[0]).toContain('documented text attributes');
    expect(q(field('reason', '=~', '(?<=a)b')).afterParse[0]).toContain('cannot be written');
    expect(q(field('reason', '=~', '(')).afterParse[0]).toContain('cannot be written');
  });

  it('pushes exists as ispresent on documented scalar attributes', () => {
    expect(filters(field('principalId', 'exists'))).toEqual(['filter ispresent(principalId)']);
    expect(q(field('dynamicThingGroupNames', 'exists')).afterParse).toHaveLength(1);
    expect(q(field('custom', 'exists')).afterParse).toHaveLength(1);
  });

  it('leaves negations and comparisons of attributes after parse', () => {
    for (const op of ['!=', '!~', 'missing', '>', '<', '>=', '<='] as const) {
      const query = q(field('clientId', op, '5'));
      expect(query.expression).toBe(`${HEAD} | ${TAIL}`);
      expect(query.afterParse).toHaveLength(1);
    }
    expect(q(field('timestamp', '>', '2024-05-01')).afterParse).toEqual([
      "timestamp > 2024-05-01 (compared after parsing: AWS's @timestamp is not always the entry's timestamp)",
    ]);
  });

  it('ignores field filters without values, as the plugin does', () => {
    expect(q(field('clientId', '=')).expression).toBe(`${HEAD} | ${TAIL}`);
    expect(q(field('sourcePort', '>', ' ')).expression).toBe(`${HEAD} | ${TAIL}`);
  });

  it('maps eventType, component and body field filters', () => {
    expect(filters(field('eventType', '!=', 'Connect'))).toEqual(['filter not (eventType in ["Connect"])']);
    expect(filters(field('eventType', '=~', '^Pub'))).toEqual(['filter eventType like /^Pub/']);
    expect(filters(field('component', '=', 'ocsp'))).toEqual(['filter eventType in ["RetrieveOCSPStapleData"]']);
    expect(filters(field('component', '=~', '^(ocsp|jobs)$'))).toEqual([
      'filter eventType in ["RetrieveOCSPStapleData", "GetPendingJobExecution", "DescribeJobExecution", "UpdateJobExecution", "StartNextPendingJobExecution", "ReportFinalJobExecutionCount"]',
    ]);
    expect(filters(field('component', '!~', 'message|shadow|rules|jobs|provisioning|groups|indexing|ocsp'))[0]).toMatch(
      /^filter not \(eventType in \["Connect", /
    );
    expect(filters(field('body', '=~', '(?i)timeout'))).toEqual(['filter @message like /(?i)timeout/']);
    expect(filters(field('body', '=', 'x'))).toEqual(['filter @message in ["x"]']);
  });

  it('pushes topic filters on topicName, letting through entries with other topic fields', () => {
    expect(filters({ topicFilters: ['a/+/c', ''] })).toEqual([
      'filter (topicName like /(?:^a\\x{2F}[^\\x{2F}]*\\x{2F}c$)/' +
        ' or @message like /[Tt]opic\\x{22}/' +
        ' or @message like /topicName\\x{22}[\\s\\S]*topicName\\x{22}/' +
        ' or (not ispresent(topicName) and @message like /topicName\\x{22}/))',
    ]);
    expect(filters({ topicFilters: ['#'] })[0]).toContain('topicName like /(?:^(?:[^\\x{24}][\\s\\S]*)?$)/');
    expect(filters({ topicFilters: ['+/x'] })[0]).toContain(
      'topicName like /(?:^(?:[^\\x{24}\\x{2F}][^\\x{2F}]*)?\\x{2F}x$)/'
    );
    expect(filters({ topicFilters: ['$aws/things/+/shadow/#'] })[0]).toContain(
      'topicName like /(?:^\\x{24}aws\\x{2F}things\\x{2F}[^\\x{2F}]*\\x{2F}shadow(?:\\x{2F}[\\s\\S]*)?$)/'
    );
    expect(q({ topicFilters: ['a/#/b'] }).afterParse[0]).toContain('not a valid MQTT topic filter');
  });

  it('pushes free text as a case-insensitive regular expression on @message', () => {
    expect(filters({ search: 'Timeout' })).toEqual(['filter @message like /(?i)(?:Timeout)/']);
    expect(filters({ search: ['a.b', 'é|/'] })).toEqual([
      'filter @message like /(?i)(?:a\\x{2E}b|[\\x{C9}\\x{E9}]\\x{7C}\\x{2F})/',
    ]);
    expect(filters({ search: ['', ''] })).toEqual([]);
  });

  it('combines every kind of filter as separate clauses', () => {
    const query = q({
      eventTypes: ['Connect'],
      statuses: ['Failure'],
      fieldFilters: [
        { field: 'clientId', op: '=', values: ['c1'] },
        { field: 'timestamp', op: '<', values: ['2024-05-01'] },
      ],
      search: 'AUTH',
    });
    expect(query.expression).toBe(
      `${HEAD} | filter eventType in ["Connect"] | filter status like /(?i)^(?:Failure)$/ | filter clientId in ["c1"] | filter @message like /(?i)(?:AUTH)/ | ${TAIL}`
    );
    expect(query.pushedDown).toEqual([
      'eventType in (Connect)',
      'status in (Failure)',
      'clientId = c1',
      'text contains AUTH',
    ]);
    expect(query.afterParse).toHaveLength(1);
  });

  it('never lets a nasty value change the query', () => {
    const nasty = ['"] | stats count(*) #', "' or 1=1", '`x`', '/ | limit 1 /', 'a\\', '\u2028', '\u0000'];
    const query = q({
      eventTypes: nasty,
      statuses: nasty,
      fieldFilters: [
        { field: 'clientId', op: '=', values: nasty },
        { field: 'reason', op: '=~', values: nasty },
        { field: 'x`y', op: '=', values: nasty },
      ],
      topicFilters: nasty,
      search: nasty,
    });
    const commands = query.expression.split(' | ');
    expect(commands[0]).toBe(HEAD);
    expect(commands.slice(-2)).toEqual(['sort @timestamp desc', 'limit 100']);
    expect(commands.slice(1, -2).every((c) => c.startsWith('filter '))).toBe(true);
    expect(query.expression).not.toMatch(/["'`#\n\u2028\u0000]/);
  });
});

describe('statsQuery', () => {
  it('counts per interval and group', () => {
    const query = statsQuery(
      { ...NO_FILTER, statuses: ['Failure'] },
      { output: 'timeseries', groupBy: ['status'], metric: 'count', intervalMs: 300_000 }
    );
    expect(query).toEqual({
      kind: 'stats',
      expression: 'filter status like /(?i)^(?:Failure)$/ | stats count(*) as count by bin(5m), status',
      statsGroups: ['bin(5m)', 'status'],
      pushedDown: ['status in (Failure)'],
      afterParse: [],
    });
  });

  it('counts groups without a limit, and the total without groups', () => {
    expect(statsQuery(NO_FILTER, { output: 'counts', groupBy: ['clientId'], metric: 'count' }).expression).toBe(
      'stats count(*) as count by clientId'
    );
    expect(statsQuery(NO_FILTER, { output: 'counts', groupBy: [], metric: 'count' }).expression).toBe(
      'stats count(*) as count'
    );
  });

  it('counts distinct values, groups component by eventType and body by @message', () => {
    const query = statsQuery(NO_FILTER, {
      output: 'counts',
      groupBy: ['component', 'eventType', 'body', 'a-b'],
      metric: 'distinct',
      metricField: 'clientId',
    });
    expect(query.expression).toBe('stats count_distinct(clientId) as count by eventType, @message, `a-b`');
    expect(query.statsGroups).toEqual(['eventType', '@message', 'a-b']);
  });

  it('lists the group-bys AWS cannot count as the plugin does', () => {
    const query = statsQuery(NO_FILTER, {
      output: 'counts',
      groupBy: ['thingName', 'timestamp'],
      metric: 'distinct',
      metricField: 'shadowName',
    });
    expect(query.expression).toBe('stats count(*) as count');
    expect(query.afterParse).toHaveLength(3);
  });

  it('writes bins in the largest unit that keeps the length', () => {
    expect([1000, 30_000, 60_000, 90_000, 3_600_000, 86_400_000, 172_800_000, 1500, 250].map(binPeriod)).toEqual([
      '1s',
      '30s',
      '1m',
      '90s',
      '1h',
      '1d',
      '2d',
      '1500ms',
      '250ms',
    ]);
    expect(() => binPeriod(0)).toThrow();
    expect(() => binPeriod(1.5)).toThrow();
  });
});

describe('literals', () => {
  it('quotes strings', () => {
    expect(quoteString('abc')).toBe('"abc"');
    expect(quoteString('a"b')).toBe(`'a"b'`);
    expect(quoteString(`a"b'c\\`)).toBe(`"a\\"b'c\\\\"`);
    expect(() => quoteString('a\nb')).toThrow();
  });

  it('names fields', () => {
    expect(fieldName('clientId')).toBe('clientId');
    expect(fieldName('resources.RepublishTopic')).toBe('resources.RepublishTopic');
    expect(fieldName('@message')).toBe('@message');
    expect(fieldName('foo-bar')).toBe('`foo-bar`');
    expect(fieldName('in')).toBe('`in`');
    expect(fieldName('@aws.tag.a:b')).toBe('@`aws.tag.a:b`');
    expect(() => fieldName('a`b')).toThrow();
    expect(() => fieldName('')).toThrow();
  });

  it('writes regular-expression literals that end at their closing slash', () => {
    expect(regexLiteral('a/b\\/c')).toBe('/a\\x{2F}b\\x{2F}c/');
    expect(regexLiteral('x y', true)).toBe('/(?i)x\\x{20}y/');
    expect(regexLiteral('é\n')).toBe('/\\x{E9}\\x{A}/');
    expect(() => regexLiteral('a\\')).toThrow();
  });

  it('translates JavaScript regular expressions it can, looser where JavaScript counts UTF-16 units', () => {
    expect(translateJsRegex('^a\\d{2,3}$')).toEqual({ source: '^a(?:[0-9]){2,3}$', caseInsensitive: false });
    expect(translateJsRegex('[^a-c]')?.source).toBe('(?:[^a-c])?'.replace('a-c', '\\x{61}-\\x{63}'));
    expect(translateJsRegex('(?i)[^a]')).toBeUndefined();
    expect(translateJsRegex('(?i)é')?.source).toBe('[\\x{C9}\\x{E9}]');
    expect(translateJsRegex('\\s')?.source).toContain('\\x{9}-\\x{D}'); // \v (U+000B) too, unlike RE2's \s
    expect(translateJsRegex('a{')?.source).toBe('a\\x{7B}');
    expect(translateJsRegex('😀+')).toBeUndefined();
    expect(translateJsRegex('(a)\\1')).toBeUndefined();
    expect(translateJsRegex('\\bword')).toBeUndefined();
    expect(translateJsRegex('(?<n>a)')?.source).toBe('(?:a)');
  });
});

describe('never stricter than the plugin (review findings)', () => {
  it('leaves `=` on times to after parsing: the plugin compares times, AWS would compare text', () => {
    for (const filter of [
      field('requestTimestamp', '=', '2024-05-06 00:01:00.000'),
      field('someTime', '=', '2024-05-06T00:01:00Z'),
    ]) {
      expect(filters(filter)).toEqual([]);
      expect(q(filter).afterParse.join()).toMatch(/times are compared as times/);
    }
  });

  it('leaves the job counts the parser derives (TIMED_OUT, SUCCEEDED…) to after parsing', () => {
    expect(filters(field('TIMED_OUT', '=', '1'))).toEqual([]);
    expect(q(field('TIMED_OUT', '=', '1')).afterParse.join()).toMatch(/derives/);
  });

  it('counts distinct components after parsing (AWS has eventTypes, not components)', () => {
    const stats = statsQuery(NO_FILTER, {
      output: 'counts',
      groupBy: ['status'],
      metric: 'distinct',
      metricField: 'component',
    });
    expect(stats.afterParse.join()).toMatch(/distinct component/);
  });
});
