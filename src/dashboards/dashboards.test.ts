/**
 * The shipped dashboards stay true: the files are what dashboards.ts writes, and every panel's queries,
 * run through DataSource.query() on the bundled sample the way Grafana runs them (the dashboard's time
 * range, an interval, its variables interpolated), return frames its panel type can draw, holding every
 * field the panel names. `UPDATE_DASHBOARDS=1 npx jest src/dashboards` rewrites the files.
 */
import { readdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

import { FieldType, type AnnotationQuery, type DataFrame, type DataQueryRequest } from '@grafana/data';
import type { BackendSrv, TemplateSrv } from '@grafana/runtime';
import { lastValueFrom, of } from 'rxjs';

import { DataSource } from '../datasource';
import { TEST_SETTINGS, testRequest } from '../testDataSource';
import type { IotLogsQuery } from '../types';
import type { IotLogsVariableQuery } from '../variables/variableQuery';
import type { IotLogsVariableSupport } from '../variables/VariableSupport';
import { shippedDashboards, UIDS, type Dashboard, type Panel, type PanelType } from './dashboards';

const ROOT = join(__dirname, '..', '..');
const DIR = join(ROOT, 'provisioning', 'dashboards');
const SAMPLE = readFileSync(join(ROOT, 'src', 'sample', 'fleet-day.json'), 'utf8');

describe('the dashboard files', () => {
  const shipped = shippedDashboards();

  if (process.env.UPDATE_DASHBOARDS) {
    for (const [file, dashboard] of Object.entries(shipped)) {
      writeFileSync(join(DIR, file), JSON.stringify(dashboard, null, 2) + '\n');
    }
  }

  it.each(Object.keys(shipped))('%s is what dashboards.ts writes', (file) => {
    expect(JSON.parse(readFileSync(join(DIR, file), 'utf8'))).toEqual(JSON.parse(JSON.stringify(shipped[file])));
  });

  it('ships every dashboard of provisioning/dashboards, each with its own uid, a data source variable and the default source', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(Object.keys(shipped).sort());
    const uids = files.map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')).uid);
    expect(new Set(uids).size).toBe(files.length);
    for (const dashboard of Object.values(shipped)) {
      expect(dashboard.templating.list).toContainEqual(
        expect.objectContaining({ type: 'datasource', name: 'datasource' })
      );
      for (const panel of dashboard.panels) {
        expect(panel.datasource.uid).toBe('${datasource}');
        for (const target of panel.targets) {
          expect(target.source).toEqual({ type: 'default' });
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Running the panels the way Grafana does.

/** The end of the dashboards' time range (now-24h to now, resolved at a fixed now). */
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const RANGE = { from: NOW - 24 * 3600_000, to: NOW };
/** Grafana's interval for a 24 h range on a panel about 1,000 px wide. */
const INTERVAL_MS = 60_000;

/** A backend that serves the bundled sample, as Grafana serves the plugin's public files. */
const sampleBackend = {
  fetch: (req: { url: string }) => {
    if (!req.url.endsWith('sample/fleet-day.json')) {
      throw new Error(`unexpected request ${req.url}`);
    }
    return of({ data: SAMPLE, status: 200 });
  },
} as unknown as BackendSrv;

/** Grafana's TemplateSrv.replace for the dashboard's variables: `$name` and `${name}`, formats as functions. */
function templateSrv(values: Record<string, string>): TemplateSrv {
  return {
    replace: (text: string | undefined, _scoped?: unknown, format?: unknown) =>
      (text ?? '').replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced, plain) => {
        const name = braced ?? plain;
        if (!(name in values)) {
          return whole;
        }
        return typeof format === 'function' ? format(values[name]) : values[name];
      }),
    getVariables: () => [],
    containsTemplate: (text: string) => /\$/.test(text ?? ''),
    updateTimeRange: () => {},
  } as unknown as TemplateSrv;
}

function loadDashboards(): Array<[string, Dashboard]> {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Dashboard]);
}

/** The variables' values as Grafana sets them on load: a query variable takes its first value. */
async function variableValues(dashboard: Dashboard): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const variable of dashboard.templating.list as Array<Record<string, unknown>>) {
    const name = variable.name as string;
    if (variable.type === 'datasource') {
      values[name] = (variable.current as { value: string }).value;
    } else if (variable.type === 'query') {
      const ds = new DataSource(TEST_SETTINGS, templateSrv(values), sampleBackend);
      const request = testRequest([variable.query as IotLogsQuery], { range: RANGE, intervalMs: INTERVAL_MS });
      const support = ds.variables as IotLogsVariableSupport;
      const response = await lastValueFrom(support.query(request as unknown as DataQueryRequest<IotLogsVariableQuery>));
      const frame = response.data[0] as DataFrame;
      const texts = frame.fields.find((f) => f.name === 'value' || f.name === 'text')?.values ?? [];
      expect(texts.length).toBeGreaterThan(0);
      values[name] = String(texts[0]);
    } else {
      throw new Error(`a variable of type ${variable.type} that the test does not know`);
    }
  }
  return values;
}

async function run(dashboard: Dashboard, values: Record<string, string>, targets: IotLogsQuery[]) {
  const ds = new DataSource(TEST_SETTINGS, templateSrv(values), sampleBackend);
  return lastValueFrom(ds.query(testRequest(targets, { range: RANGE, intervalMs: INTERVAL_MS })));
}

const rowsOf = (frame: DataFrame) => frame.length ?? frame.fields[0]?.values.length ?? 0;
const hasType = (frame: DataFrame, type: FieldType) => frame.fields.some((f) => f.type === type);
/** Rows; for a time series, a count above 0 (a series of zeros is a query that matched nothing). */
const hasEntries = (frame: DataFrame) =>
  rowsOf(frame) > 0 &&
  (!hasType(frame, FieldType.time) ||
    !hasType(frame, FieldType.number) ||
    frame.fields.some((f) => f.type === FieldType.number && f.values.some((v) => v > 0)));
const names = (frames: DataFrame[]) => new Set(frames.flatMap((f) => f.fields.map((field) => field.name)));

/** What each panel type needs to draw something: frames with rows, of the fields it reads. */
const DRAWABLE: Record<PanelType, (frames: DataFrame[]) => string | undefined> = {
  timeseries: (frames) =>
    frames.every((f) => hasType(f, FieldType.time) && hasType(f, FieldType.number)) &&
    frames.some((f) => f.fields.some((field) => field.type === FieldType.number && field.values.some((v) => v > 0)))
      ? undefined
      : 'time series (a time field and a number field with a value above 0)',
  stat: (frames) =>
    frames.some((f) => rowsOf(f) > 0 && hasType(f, FieldType.number)) ? undefined : 'a number to reduce',
  // Grafana's bar chart draws the first frame: one category (a string field) and its numbers as bars.
  barchart: (frames) =>
    frames.length > 0 &&
    rowsOf(frames[0]) > 0 &&
    frames[0].fields.filter((f) => f.type === FieldType.string).length === 1 &&
    hasType(frames[0], FieldType.number)
      ? undefined
      : 'rows of one category (a string field) and numbers, in the first frame',
  histogram: (frames) => (frames.some((f) => rowsOf(f) > 0 && hasType(f, FieldType.number)) ? undefined : 'numbers'),
  table: (frames) => (frames.some((f) => rowsOf(f) > 0) ? undefined : 'rows'),
  logs: (frames) =>
    frames.some(
      (f) =>
        rowsOf(f) > 0 &&
        f.meta?.type === 'log-lines' &&
        hasType(f, FieldType.time) &&
        f.fields.some((field) => field.name === 'body' && field.type === FieldType.string)
    )
      ? undefined
      : 'log lines (a log-lines frame with a time and a body)',
};

/** The field names a panel refers to (links, the bar chart's x, a reduction's fields). */
function referencedFields(panel: Panel): Array<string | RegExp> {
  const out: Array<string | RegExp> = panel.fieldConfig.overrides.map((o) => o.matcher.options);
  const options = panel.options ?? {};
  if (typeof options.xField === 'string') {
    out.push(options.xField);
  }
  const fields = [(options.reduceOptions as { fields?: string } | undefined)?.fields];
  for (const f of fields) {
    const regex = typeof f === 'string' ? /^\/(.*)\/$/.exec(f) : null;
    if (regex) {
      out.push(new RegExp(regex[1]));
    } else if (typeof f === 'string' && f !== '') {
      out.push(f);
    }
  }
  return out;
}

describe.each(loadDashboards())('%s on the sample', (_file, dashboard) => {
  let values: Record<string, string>;
  beforeAll(async () => {
    values = await variableValues(dashboard);
  });

  it.each(dashboard.panels.map((p) => [p.title, p] as const))('panel "%s" draws', async (_title, panel) => {
    expect(panel.targets.length).toBeGreaterThan(0);
    const response = await run(dashboard, values, panel.targets);
    expect(response.errors ?? []).toEqual([]);
    const frames = response.data as DataFrame[];
    // Every query of the panel returns something: rows, and counts over time that are not all 0.
    for (const target of panel.targets) {
      const own = frames.filter((f) => f.refId === target.refId);
      expect([target.refId, own.some(hasEntries)]).toEqual([target.refId, true]);
    }
    expect([panel.type, DRAWABLE[panel.type](frames)]).toEqual([panel.type, undefined]);
    const fields = names(frames);
    if (panel.type === 'barchart') {
      // A bar chart offers the links of a bar's field only: links on the category never show.
      const numbers = new Set(frames[0].fields.filter((f) => f.type === FieldType.number).map((f) => f.name));
      for (const o of panel.fieldConfig.overrides) {
        expect([o.matcher.options, numbers.has(o.matcher.options)]).toEqual([o.matcher.options, true]);
      }
    }
    for (const ref of referencedFields(panel)) {
      const found = typeof ref === 'string' ? fields.has(ref) : [...fields].some((n) => ref.test(n));
      expect([String(ref), found]).toEqual([String(ref), true]);
    }
  });

  it.each(
    (dashboard.annotations.list as Array<AnnotationQuery<IotLogsQuery> & { builtIn?: number }>)
      .filter((a) => !a.builtIn)
      .map((a) => [a.name, a] as const)
  )('annotation "%s" marks something', async (_name, anno) => {
    const ds = new DataSource(TEST_SETTINGS, templateSrv(values), sampleBackend);
    const support = ds.annotations!;
    const prepared = support.prepareAnnotation!(anno);
    const target = support.prepareQuery!(prepared)!;
    const response = await lastValueFrom(ds.query(testRequest([target], { range: RANGE, intervalMs: INTERVAL_MS })));
    const events = await lastValueFrom(support.processEvents!(prepared, response.data));
    expect((events ?? []).length).toBeGreaterThan(0);
  });
});

describe('the same dashboards on a CloudWatch-backed data source', () => {
  it('run every panel query on CloudWatch (the default source of a data source that chose one)', () => {
    const ds = new DataSource(
      { ...TEST_SETTINGS, jsonData: { cloudWatchUid: 'cloudwatch' } },
      templateSrv({}),
      sampleBackend
    );
    for (const [, dashboard] of loadDashboards()) {
      for (const panel of dashboard.panels) {
        for (const target of panel.targets) {
          expect(ds.applyTemplateVariables(target, {}).source).toEqual({ type: 'cloudwatch' });
        }
      }
    }
  });
});

describe('links between the dashboards', () => {
  it('give stats a colour of their own (Grafana would colour counts over 80 red by its default thresholds)', () => {
    for (const dashboard of Object.values(shippedDashboards())) {
      for (const panel of dashboard.panels.filter((p) => p.type === 'stat')) {
        expect([panel.title, panel.fieldConfig.defaults.color]).toEqual([
          panel.title,
          { mode: 'fixed', fixedColor: expect.any(String) },
        ]);
      }
    }
  });

  it('lead to the device drill-down, whose variable is clientId', () => {
    const device = shippedDashboards()['device-drill-down.json'];
    expect(device.uid).toBe(UIDS.device);
    expect(device.templating.list).toContainEqual(expect.objectContaining({ name: 'clientId', type: 'query' }));
    const linking = Object.values(shippedDashboards()).filter((d) =>
      d.panels.some((p) => JSON.stringify(p.fieldConfig.overrides).includes(`/d/${UIDS.device}?var-clientId=`))
    );
    expect(linking.map((d) => d.uid).sort()).toEqual([UIDS.connectivity, UIDS.fleet, UIDS.jobs, UIDS.rules].sort());
  });
});
