import { getDefaultQuery, type IotLogsQuery } from '../types';
import { interpolateValues, rowFilterOf, type Replace } from './interpolate';

const variables: Record<string, string[]> = { client: ['alpha', 'beta'], one: ['solo'], odd: ["a$'b", 'x$$y', 'p$&q'] };

/** Grafana's replace as far as the plugin uses it: a format function gets a multi-value variable's values. */
const replace: Replace = (text, _vars, format) =>
  text.replace(/\$(\w+)/g, (whole, name: string) => {
    const values = variables[name];
    if (!values) {
      return whole;
    }
    if (typeof format === 'function') {
      return format(values.length === 1 ? values[0] : values);
    }
    if (format === 'regex') {
      return values.length === 1 ? values[0] : `(${values.join('|')})`;
    }
    return values.length === 1 ? values[0] : `{${values.join(',')}}`;
  });

describe('interpolateValues', () => {
  it('gives one value per value of a multi-value variable, the rest of the text around each', () => {
    expect(interpolateValues('plain', replace)).toEqual(['plain']);
    expect(interpolateValues('$one', replace)).toEqual(['solo']);
    expect(interpolateValues('dev-$client', replace)).toEqual(['dev-alpha', 'dev-beta']);
  });

  it('keeps `$` patterns of values as text', () => {
    expect(interpolateValues('dev-$odd', replace)).toEqual(["dev-a$'b", 'dev-x$$y', 'dev-p$&q']);
  });

  it("uses Grafana's regex format in regular expressions", () => {
    expect(interpolateValues('^$client$', replace, undefined, '=~')).toEqual(['^(alpha|beta)$']);
  });
});

describe('rowFilterOf', () => {
  const query = (patch: Partial<IotLogsQuery>): IotLogsQuery => ({ refId: 'A', ...getDefaultQuery(), ...patch });

  it('makes a multi-value variable in free text any of its values', () => {
    expect(rowFilterOf(query({ search: '$client' }), replace, undefined, { from: 0, to: 1 }).search).toEqual([
      'alpha',
      'beta',
    ]);
  });

  it('expands variables in every filter value, and keeps the time range unless the query ignores it', () => {
    const filter = rowFilterOf(
      query({
        statuses: ['$one'],
        fieldFilters: [{ field: 'clientId', op: '=', value: '$client' }],
        topicFilters: ['fleet/$client/#'],
        ignoreTimeRange: false,
      }),
      replace,
      undefined,
      { from: 5, to: 9 }
    );
    expect(filter).toMatchObject({
      statuses: ['solo'],
      fieldFilters: [{ field: 'clientId', op: '=', values: ['alpha', 'beta'] }],
      topicFilters: ['fleet/alpha/#', 'fleet/beta/#'],
      timeRange: { from: 5, to: 9 },
    });
  });
});
