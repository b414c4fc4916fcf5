/**
 * A stand-in for Grafana in a real browser: it provides the modules Grafana gives plugins
 * (React, @grafana/data, @grafana/ui, @grafana/runtime), loads the built dist/module.js through its AMD
 * `define`, and mounts the plugin's editors with a data source instance that runs real queries.
 */
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import * as grafanaData from '@grafana/data';
import * as grafanaUi from '@grafana/ui';
import * as grafanaRuntime from '@grafana/runtime';
import * as rxjs from 'rxjs';
import * as emotionCss from '@emotion/css';
import lodash from 'lodash';

import { FakeCloudWatch } from '../../src/cloudwatch/fakeCloudWatch';
import { fleetText, generateFleet } from '../../src/fleet/generate';
import { DashboardPreview, type DashboardJson, type PanelResult } from './dashboardPreview';

type Plugin = grafanaData.DataSourcePlugin<grafanaData.DataSourceApi>;

declare global {
  interface Window {
    define: (deps: string[], factory: (...modules: unknown[]) => unknown) => void;
    harness: {
      ready: Promise<void>;
      lastResponse?: grafanaData.DataQueryResponse;
      changes: number;
      /** Runs of the query editor's query under way (0: the last result is the last run's). */
      running: number;
      /** The data source's report of the last run (src/query/runReport.ts), as the editor reads it. */
      lastReport?: { parse?: { format: string; entries: number } };
      /** The data links of the first non-empty cell of a field in the last result, as Grafana makes them. */
      linksOf?: (field: string) => Array<{ title: string; href: string; query?: unknown }>;
      /** The config editor's last options (its onOptionsChange). */
      lastOptions?: { jsonData: Record<string, unknown> };
      /** Dashboard variables the template service knows (name → values). */
      variables: Record<string, string[]>;
      /** Opens the log context of a row of the last result's n-th logs frame (Explore's "Show context"). */
      openContext?: (frameIndex: number, rowIndex: number) => Promise<void>;
      /** The entries the last context showed, per frame. */
      lastContext?: Array<{ name: string; clientIds: string[]; traceIds: string[]; times: number[] }>;
      /** The variable editor's last query (as stored in the dashboard). */
      lastVariableQuery?: grafanaData.DataQuery;
      /** What the variable editor's last run listed (Grafana's text/value pairs). */
      lastVariableValues?: Array<{ text: string; value: string }>;
      /** What the annotation editor's last run marked, as Grafana receives it from processEvents. */
      lastAnnotations?: grafanaData.AnnotationEvent[];
      /** Changes the query as the editor would (onChange) and runs it. */
      runWith?: (patch: Record<string, unknown>) => void;
      /** The page `?dashboard=<file>`: what each panel of the shipped dashboard drew. */
      dashboardResults?: PanelResult[];
    };
  }
}

const provided: Record<string, unknown> = {
  react: React,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
  rxjs,
  // Grafana provides these to plugins too (@grafana/plugin-ui uses them).
  '@emotion/css': emotionCss,
  lodash,
  module: { uri: '/dist/module.js' },
};

function loadPlugin(): Promise<Plugin> {
  return new Promise((resolve, reject) => {
    window.define = (deps, factory) => {
      const missing = deps.filter((d) => !(d in provided));
      if (missing.length > 0) {
        reject(new Error(`dist/module.js needs modules the harness does not provide: ${missing.join(', ')}`));
        return;
      }
      const exports = factory(...deps.map((d) => provided[d])) as { plugin: Plugin };
      resolve(exports.plugin);
    };
    const script = document.createElement('script');
    script.src = '/dist/module.js';
    script.onerror = () => reject(new Error('could not load /dist/module.js'));
    document.head.appendChild(script);
  });
}

const theme = grafanaData.createTheme({ colors: { mode: 'dark' } });

// Grafana's backend service, as far as the plugin uses it: the plugin's public files come from dist/,
// and the data proxy route of the URL source serves the container fixtures in testdata/containers/.
const PLUGIN_PUBLIC = 'public/plugins/seed-awsiotlogs-datasource/';
const PROXY_ROUTE = '/api/datasources/proxy/uid/iot/url-source/';
/**
 * Grafana's template service as far as the plugin uses it: `$name`, `${name}` and `${name:format}` of
 * the dashboard variables in `window.harness.variables`; a format written in the text wins over the
 * caller's; a format function gets a multi-value variable's values; `regex` gives `(a|b)`, escaped.
 */
function replaceVariables(target = '', _scopedVars?: unknown, format?: unknown): string {
  return target.replace(
    /\$(\w+)|\$\{(\w+)(?::(\w+))?\}/g,
    (whole, plain?: string, braced?: string, written?: string) => {
      const values = window.harness.variables[(plain ?? braced)!];
      if (!values) {
        return whole;
      }
      const fmt = written ?? format;
      if (typeof fmt === 'function') {
        return fmt(values.length === 1 ? values[0] : values);
      }
      if (fmt === 'regex') {
        const escaped = values.map((v) => v.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
        return escaped.length === 1 ? escaped[0] : `(${escaped.join('|')})`;
      }
      return values.join(',');
    }
  );
}

grafanaRuntime.setTemplateSrv({
  getVariables: () => [],
  replace: replaceVariables,
  containsTemplate: () => false,
  updateTimeRange: () => {},
} as unknown as grafanaRuntime.TemplateSrv);
/** The CloudWatch data source's logo in the picker (Grafana's public/img is not served here). */
const CLOUDWATCH_LOGO = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="4" fill="#e7157b"/></svg>'
)}`;
/** Grafana's data sources as far as the plugin uses them: one CloudWatch data source to choose and query. */
const HARNESS_CLOUDWATCH = {
  uid: 'cloudwatch-harness',
  name: 'CloudWatch (harness)',
  type: 'cloudwatch',
  meta: { id: 'cloudwatch', name: 'CloudWatch', info: { logos: { small: CLOUDWATCH_LOGO } } },
} as unknown as grafanaData.DataSourceInstanceSettings;
const harnessDataSources = [HARNESS_CLOUDWATCH];
/**
 * The CloudWatch data source's stand-in: the fake of src/cloudwatch (Loading answers, then Done, frames as
 * the real one shapes them) over a generated fleet of the last hours, so live queries have entries.
 */
let harnessCloudWatch: FakeCloudWatch | undefined;
function harnessFleetLines(): string[] {
  const hour = 3600_000;
  const start = Math.floor((Date.now() - 5 * hour) / 60_000) * 60_000;
  const fleet = generateFleet({
    seed: 7,
    start: new Date(start).toISOString(),
    durationMs: 4 * hour + 50 * 60_000,
    devices: 12,
    logLevel: 'INFO',
    problems: [{ kind: 'storm', device: 'sensor-004', from: 2 * hour, to: 2 * hour + 8 * 60_000 }],
  });
  return fleetText(fleet)
    .split('\n')
    .filter((line) => line !== '');
}
grafanaRuntime.setDataSourceSrv({
  getList: (
    filters: { type?: string; pluginId?: string; filter?: (ds: grafanaData.DataSourceInstanceSettings) => boolean } = {}
  ) =>
    harnessDataSources.filter(
      (ds) =>
        (!filters.type || ds.type === filters.type) &&
        (!filters.pluginId || ds.meta.id === filters.pluginId) &&
        (!filters.filter || filters.filter(ds))
    ),
  getInstanceSettings: (ref?: string | { uid?: string } | null) => {
    const key = typeof ref === 'string' ? ref : ref?.uid;
    return harnessDataSources.find((ds) => ds.uid === key || ds.name === key);
  },
  get: async (ref?: string | { uid?: string } | null) => {
    const key = typeof ref === 'string' ? ref : ref?.uid;
    if (key !== HARNESS_CLOUDWATCH.uid && key !== HARNESS_CLOUDWATCH.name) {
      throw new Error(`no data source ${key} in the harness`);
    }
    harnessCloudWatch ??= new FakeCloudWatch(harnessFleetLines(), { name: HARNESS_CLOUDWATCH.name, stepMs: 150 });
    return Object.assign(harnessCloudWatch, { type: 'cloudwatch', meta: { id: 'cloudwatch' } });
  },
} as unknown as grafanaRuntime.DataSourceSrv);
grafanaRuntime.setBackendSrv({
  fetch: (options: { url: string; responseType?: string }) =>
    rxjs.from(
      (async () => {
        const url = options.url.startsWith(PLUGIN_PUBLIC)
          ? `/dist/${options.url.slice(PLUGIN_PUBLIC.length)}`
          : options.url.startsWith(PROXY_ROUTE)
            ? `/testdata/containers/${options.url.slice(PROXY_ROUTE.length)}`
            : options.url;
        const response = await fetch(url);
        if (!response.ok) {
          throw { status: response.status, data: await response.text() };
        }
        const data = options.responseType === 'arraybuffer' ? await response.arrayBuffer() : await response.text();
        return { data, status: response.status, ok: true };
      })()
    ),
} as unknown as grafanaRuntime.BackendSrv);

/**
 * Grafana's interpolation of data links, as far as this plugin's links use it: `${__value.raw}` is the
 * clicked cell's value (Grafana reads it from the link's data context).
 */
/** Grafana's `${__value.raw}` and `${__data.fields.<name>}` (the row's display text) in data links. */
const replaceLinkVariables: grafanaData.InterpolateFunction = (text, scopedVars) => {
  const context = scopedVars?.__dataContext?.value as
    { frame?: grafanaData.DataFrame; field?: grafanaData.Field; rowIndex?: number } | undefined;
  return text
    .replace(/\$\{__value\.raw\}/g, () => {
      const value =
        context?.field && context.rowIndex !== undefined ? context.field.values[context.rowIndex] : undefined;
      return value === undefined || value === null ? '' : String(value);
    })
    .replace(/\$\{__data\.fields\.(\w+)\}/g, (_, name: string) => {
      if (!context?.frame || context.rowIndex === undefined) {
        return '';
      }
      const value = grafanaData.getFieldDisplayValuesProxy({ frame: context.frame, rowIndex: context.rowIndex })[name];
      return value === undefined ? '' : String(value);
    });
};

const harnessRequest = <T extends grafanaData.DataQuery>(targets: T[], id: string) => {
  const range = grafanaData.getDefaultTimeRange(); // the last 6 hours
  return {
    targets,
    range,
    rangeRaw: range.raw,
    scopedVars: {},
    requestId: id,
    interval: '1m',
    intervalMs: 60_000,
    maxDataPoints: 360,
    timezone: 'utc',
    app: 'dashboard',
    startTime: Date.now(),
  } as grafanaData.DataQueryRequest<T>;
};

const isoTime = (t: unknown) => (typeof t === 'number' && Number.isFinite(t) ? new Date(t).toISOString() : String(t));

type ContextSupport = grafanaData.DataSourceApi &
  Required<Pick<grafanaData.DataSourceWithLogsContextSupport, 'getLogRowContext' | 'getLogRowContextUi'>>;

/**
 * Explore's log context view, as far as the plugin takes part in it: the data source's context UI (the
 * key choice) above the entries before and after a line of the last logs result.
 */
function LogContextSection({
  ds,
  data,
  query,
}: {
  ds: ContextSupport;
  data?: grafanaData.PanelData;
  query: grafanaData.DataQuery;
}) {
  const [shown, setShown] = React.useState<
    { row: grafanaData.LogRowModel; frames: grafanaData.DataFrame[] } | undefined
  >();
  const open = React.useCallback(
    async (frameIndex: number, rowIndex: number) => {
      // The last result as it arrived (the panel's state may lag one render behind).
      const series = (window.harness.lastResponse?.data ?? []) as grafanaData.DataFrame[];
      const frame = series.filter((f) => f.meta?.type === 'log-lines')[frameIndex];
      if (!frame) {
        throw new Error('no logs frame to open context on');
      }
      const field = (name: string) => frame.fields.find((f) => f.name === name)!;
      const row = {
        dataFrame: frame,
        rowIndex,
        labels: field('labels').values[rowIndex],
        timeEpochMs: field('timestamp').values[rowIndex],
        entry: field('body').values[rowIndex],
        uid: `${frame.refId}_${rowIndex}`,
      } as grafanaData.LogRowModel;
      const options = { direction: grafanaData.LogRowContextQueryDirection.Backward, limit: 10 };
      const response = await ds.getLogRowContext(row, options, query);
      const frames = response.data as grafanaData.DataFrame[];
      window.harness.lastContext = frames.map((f) => ({
        name: f.name ?? '',
        clientIds: (f.fields.find((x) => x.name === 'clientId')?.values ?? []).map(String),
        traceIds: (f.fields.find((x) => x.name === 'traceId')?.values ?? []).map(String),
        times: f.fields.find((x) => x.name === 'timestamp')?.values as number[],
      }));
      setShown({ row, frames });
    },
    [ds, query]
  );
  React.useEffect(() => {
    window.harness.openContext = open;
  }, [open]);
  if (!shown) {
    return null;
  }
  const rows = shown.frames.flatMap((f) => {
    const get = (name: string) => f.fields.find((x) => x.name === name)?.values ?? [];
    return get('timestamp').map((t, i) => ({ t: t as number, body: String(get('body')[i]) }));
  });
  rows.sort((a, b) => a.t - b.t);
  return (
    <section id="log-context" style={{ marginTop: 16, padding: 8, background: theme.colors.background.secondary }}>
      <h4>Log context</h4>
      {ds.getLogRowContextUi(shown.row, () => void open(0, shown.row.rowIndex))}
      <pre style={{ fontSize: 11, whiteSpace: 'pre-wrap' }}>
        {rows.map((r) => `${isoTime(r.t)}  ${r.body.slice(0, 140)}`).join('\n')}
        {`\n${isoTime(shown.row.timeEpochMs)}  ▶ ${String(shown.row.entry).slice(0, 140)}`}
      </pre>
    </section>
  );
}

/** A dashboard variable of type Query with this data source: its editor, and the values it lists. */
function VariableEditorSection({ ds }: { ds: grafanaData.DataSourceApi }) {
  const support = ds.variables as grafanaData.CustomVariableSupport<grafanaData.DataSourceApi>;
  const [query, setQuery] = React.useState<grafanaData.DataQuery>({ refId: 'variable' });
  const [values, setValues] = React.useState<Array<{ text: string; value: string }>>([]);
  const runs = React.useRef(0);
  const run = React.useCallback(
    async (q: grafanaData.DataQuery) => {
      const id = ++runs.current;
      window.harness.lastVariableQuery = q;
      // Like Grafana: the variable's query through the support's query(), frames read as text/value.
      const response = await rxjs.lastValueFrom(support.query(harnessRequest([q], `variable-${id}`)));
      if (id !== runs.current) {
        return;
      }
      const frame = response.data[0] as grafanaData.DataFrame | undefined;
      const text = frame?.fields.find((f) => f.name === 'text');
      const value = frame?.fields.find((f) => f.name === 'value') ?? text;
      const listed = text ? text.values.map((t, i) => ({ text: String(t), value: String(value!.values[i]) })) : [];
      window.harness.lastVariableValues = listed;
      setValues(listed);
    },
    [support]
  );
  const Editor = support.editor as React.ComponentType<grafanaData.QueryEditorProps<grafanaData.DataSourceApi>>;
  return (
    <section id="variable-editor" style={{ marginTop: 16, padding: 8, background: theme.colors.background.secondary }}>
      <h4>Variable query</h4>
      <Editor
        datasource={ds}
        query={query}
        onChange={(q) => {
          setQuery(q);
          void run(q);
        }}
        onRunQuery={() => void run(query)}
      />
      <div id="variable-values" aria-label="Preview of values" style={{ marginTop: 8 }}>
        {values.slice(0, 12).map((v) => (
          <span key={v.value} style={{ marginRight: 8, padding: '2px 6px', border: '1px solid', borderRadius: 2 }}>
            {v.text}
          </span>
        ))}
        {values.length > 12 && <span>… {values.length} values</span>}
      </div>
    </section>
  );
}

/** A dashboard annotation with this data source, run as Grafana runs annotations. */
function AnnotationEditorSection({ ds }: { ds: grafanaData.DataSourceApi }) {
  const support = ds.annotations as grafanaData.AnnotationSupport<grafanaData.DataQuery>;
  const [annotation, setAnnotation] = React.useState<grafanaData.AnnotationQuery<grafanaData.DataQuery>>(
    () =>
      support.prepareAnnotation!({
        name: 'AWS IoT events',
        enable: true,
        iconColor: 'red',
        target: { refId: 'Anno', ...(support.getDefaultQuery?.() ?? {}) },
      } as grafanaData.AnnotationQuery<grafanaData.DataQuery>) as grafanaData.AnnotationQuery<grafanaData.DataQuery>
  );
  const [data, setData] = React.useState<grafanaData.PanelData | undefined>();
  const runs = React.useRef(0);
  const run = React.useCallback(
    async (anno: grafanaData.AnnotationQuery<grafanaData.DataQuery>) => {
      const id = ++runs.current;
      const query = support.prepareQuery!(anno);
      if (!query) {
        return;
      }
      const request = harnessRequest([{ ...query, refId: 'Anno' }], `annotation-${id}`);
      const response = await rxjs.lastValueFrom(ds.query(request) as rxjs.Observable<grafanaData.DataQueryResponse>);
      const events = await rxjs.lastValueFrom(support.processEvents!(anno, response.data));
      if (id !== runs.current) {
        return;
      }
      window.harness.lastAnnotations = events ?? [];
      setData({ state: grafanaData.LoadingState.Done, series: response.data, timeRange: request.range, request });
    },
    [ds, support]
  );
  const Editor = support.QueryEditor as React.ComponentType<
    grafanaData.QueryEditorProps<grafanaData.DataSourceApi> & {
      annotation?: grafanaData.AnnotationQuery<grafanaData.DataQuery>;
      onAnnotationChange?: (a: grafanaData.AnnotationQuery<grafanaData.DataQuery>) => void;
    }
  >;
  const change = (anno: grafanaData.AnnotationQuery<grafanaData.DataQuery>) => {
    setAnnotation(anno);
    void run(anno);
  };
  return (
    <section
      id="annotation-editor"
      style={{ marginTop: 16, padding: 8, background: theme.colors.background.secondary }}
    >
      <h4>Annotation query</h4>
      <Editor
        datasource={ds}
        query={annotation.target!}
        data={data}
        annotation={annotation}
        onAnnotationChange={change}
        onChange={(target) => change({ ...annotation, target })}
        onRunQuery={() => void run(annotation)}
      />
    </section>
  );
}

/** Explore's colours of log levels (log volume), and Grafana's classic palette for other series. */
const LEVEL_COLOURS: Record<string, string> = {
  critical: 'purple',
  error: 'red',
  warning: 'yellow',
  info: 'green',
  debug: 'blue',
  trace: 'light-blue',
  unknown: 'gray',
};
const PALETTE = ['green', 'yellow', 'blue', 'orange', 'red', 'purple', 'light-blue', 'dark-green'];

/**
 * Series colours as Grafana's panels give them: the harness has no field config registry (Grafana
 * fills it at start-up), so each number field gets its colour here, fixed.
 */
function colourSeries(frames: grafanaData.DataFrame[]): grafanaData.DataFrame[] {
  let next = 0;
  return frames.map((frame) => ({
    ...frame,
    fields: frame.fields.map((field) => {
      if (field.type !== grafanaData.FieldType.number) {
        return field;
      }
      const level = field.labels?.level;
      const fixedColor = level && LEVEL_COLOURS[level] ? LEVEL_COLOURS[level] : PALETTE[next++ % PALETTE.length];
      return { ...field, config: { ...field.config, color: { mode: grafanaData.FieldColorModeId.Fixed, fixedColor } } };
    }),
  }));
}

function App({ plugin }: { plugin: Plugin }) {
  const ds = React.useMemo(() => {
    const settings = {
      uid: 'iot',
      type: 'seed-awsiotlogs-datasource',
      name: 'AWS IoT Logs',
      url: '/api/datasources/proxy/uid/iot',
      jsonData: {
        baseUrl: 'https://logs.example.com/iot/',
        cloudWatchUid: HARNESS_CLOUDWATCH.uid,
        logGroups: ['AWSIotLogsV2'],
      },
      meta: {},
    };
    return new plugin.DataSourceClass(settings as never);
  }, [plugin]);
  const [configOptions, setConfigOptions] = React.useState<grafanaData.DataSourceSettings>({
    jsonData: {},
    secureJsonFields: {},
    secureJsonData: {},
  } as unknown as grafanaData.DataSourceSettings);
  const [query, setQuery] = React.useState<grafanaData.DataQuery>({
    refId: 'A',
    ...(ds.getDefaultQuery?.('dashboard' as never) ?? {}),
  });
  const [data, setData] = React.useState<grafanaData.PanelData | undefined>();
  const latest = React.useRef(query);
  latest.current = query;

  const runs = React.useRef(0);
  const runOnce = React.useCallback(async () => {
    const range = grafanaData.getDefaultTimeRange(); // the last 6 hours
    // Like Grafana: each run is a request with its own id, which the panel data carries to the editor.
    const request = {
      targets: [latest.current],
      range,
      scopedVars: {},
      requestId: `harness-${++runs.current}`,
      intervalMs: 60_000,
      maxDataPoints: 360,
      app: 'dashboard',
    } as unknown as grafanaData.DataQueryRequest;
    const response = ds.query(request);
    // Like Grafana: Loading responses (parse progress) go to the editor, the last one is the result.
    const resolved =
      'subscribe' in response
        ? await new Promise<grafanaData.DataQueryResponse>((resolve, reject) => {
            let last: grafanaData.DataQueryResponse | undefined;
            response.subscribe({
              next: (r) => {
                last = r;
                if (r.state === grafanaData.LoadingState.Loading) {
                  setData({ state: grafanaData.LoadingState.Loading, series: r.data, timeRange: range, request });
                }
              },
              error: reject,
              complete: () => resolve(last!),
            });
          })
        : await response;
    window.harness.lastResponse = resolved;
    const reports = (ds as unknown as { reports: { get(id: string, refId: string): unknown } }).reports;
    window.harness.lastReport = reports.get(request.requestId, 'A') as typeof window.harness.lastReport;
    const series = grafanaData.applyFieldOverrides({
      data: colourSeries(resolved.data),
      // Grafana's panels colour series from the classic palette by default.
      fieldConfig: { defaults: { color: { mode: grafanaData.FieldColorModeId.PaletteClassic } }, overrides: [] },
      replaceVariables: replaceLinkVariables,
      theme,
    });
    window.harness.linksOf = (name) => {
      for (const frame of series) {
        const field = frame.fields.find((f) => f.name === name);
        const row = field ? field.values.findIndex((v) => v !== null && v !== undefined && v !== '') : -1;
        if (field?.getLinks && row >= 0) {
          return field.getLinks({ valueRowIndex: row }).map((link) => ({
            title: link.title,
            href: link.href,
            query: link.interpolatedParams?.query,
          }));
        }
      }
      return [];
    };
    setData({ state: resolved.state ?? grafanaData.LoadingState.Done, series, timeRange: range, request });
  }, [ds]);
  /** A run, counted while under way: checks wait for none, so the last result is the last run's. */
  const run = React.useCallback(async () => {
    window.harness.running++;
    try {
      await runOnce();
    } finally {
      window.harness.running--;
    }
  }, [runOnce]);
  React.useEffect(() => {
    window.harness.runWith = (patch) => {
      latest.current = { ...latest.current, ...patch } as grafanaData.DataQuery;
      setQuery(latest.current);
      void run();
    };
  }, [run]);

  const QueryEditor = plugin.components.QueryEditor!;
  const ConfigEditor = plugin.components.ConfigEditor!;
  // Tables show the typed columns, as a user would set them up with "Organize fields".
  const logLineFields = ['body', 'id', 'labels', 'severity'];
  const isSeries = (f: grafanaData.DataFrame) => f.meta?.type === grafanaData.DataFrameType.TimeSeriesMulti;
  const series = (data?.series ?? []).filter(isSeries);
  const tables = (data?.series ?? [])
    .filter((f) => f.length > 0 && !isSeries(f))
    .map((f) =>
      f.meta?.type === 'log-lines'
        ? { ...f, fields: f.fields.filter((field) => !logLineFields.includes(field.name)) }
        : f
    );
  return (
    <grafanaUi.ThemeContext.Provider value={theme}>
      <grafanaUi.GlobalStyles />
      <div
        style={{
          background: theme.colors.background.primary,
          color: theme.colors.text.primary,
          padding: 16,
          minHeight: '100vh',
        }}
      >
        <section id="query-editor" style={{ padding: 8, background: theme.colors.background.secondary }}>
          <QueryEditor
            datasource={ds}
            query={query}
            data={data}
            onChange={(q: grafanaData.DataQuery) => {
              window.harness.changes++;
              latest.current = q;
              setQuery(q);
            }}
            onRunQuery={run}
          />
        </section>
        <section id="graph">
          {series.length > 0 && data && (
            <grafanaUi.TimeSeries
              frames={series}
              width={1200}
              height={260}
              timeRange={data.timeRange}
              timeZone="utc"
              legend={{
                displayMode: grafanaUi.LegendDisplayMode.List,
                placement: 'bottom',
                showLegend: true,
                calcs: [],
              }}
            />
          )}
        </section>
        <section id="tables">
          {tables.slice(0, 3).map((frame) => (
            <div key={frame.name} style={{ marginTop: 16 }}>
              <h4>{frame.name}</h4>
              <grafanaUi.Table data={frame} width={1200} height={220} />
            </div>
          ))}
        </section>
        <LogContextSection ds={ds as unknown as ContextSupport} query={query} />
        <VariableEditorSection ds={ds} />
        <AnnotationEditorSection ds={ds} />
        <section id="config-editor" style={{ marginTop: 16, maxWidth: 900 }}>
          <ConfigEditor
            options={configOptions}
            onOptionsChange={(options: grafanaData.DataSourceSettings) => {
              window.harness.lastOptions = options as unknown as { jsonData: Record<string, unknown> };
              setConfigOptions(options);
            }}
          />
        </section>
      </div>
    </grafanaUi.ThemeContext.Provider>
  );
}

/**
 * `?dashboard=<file>`: a shipped dashboard (dist/dashboards/<file>) drawn by DashboardPreview on a data
 * source of this plugin with no settings (the provisioned one), its variables set as Grafana sets them
 * on load (a query variable takes its first value).
 */
function DashboardPage({ plugin, file }: { plugin: Plugin; file: string }) {
  const ds = React.useMemo(
    () =>
      new plugin.DataSourceClass({
        uid: 'aws-iot-logs',
        type: 'seed-awsiotlogs-datasource',
        name: 'AWS IoT Logs',
        url: '/api/datasources/proxy/uid/aws-iot-logs',
        jsonData: {},
        meta: {},
      } as never),
    [plugin]
  );
  const [dashboard, setDashboard] = React.useState<DashboardJson>();
  React.useEffect(() => {
    void (async () => {
      const json = (await (await fetch(`/dist/dashboards/${file}`)).json()) as DashboardJson;
      for (const variable of json.templating.list) {
        if (variable.type === 'datasource') {
          window.harness.variables[variable.name] = [ds.uid];
        } else if (variable.type === 'query' && variable.query) {
          const range = grafanaData.getDefaultTimeRange();
          const support = ds.variables as unknown as {
            query(r: grafanaData.DataQueryRequest): rxjs.Observable<grafanaData.DataQueryResponse>;
          };
          const response = await rxjs.lastValueFrom(
            support.query({
              targets: [variable.query],
              range,
              scopedVars: {},
            } as unknown as grafanaData.DataQueryRequest)
          );
          const frame = response.data[0] as grafanaData.DataFrame | undefined;
          const values = frame?.fields.find((f) => f.name === 'value' || f.name === 'text')?.values ?? [];
          window.harness.variables[variable.name] = values.length > 0 ? [String(values[0])] : [];
        }
      }
      setDashboard(json);
    })();
  }, [ds, file]);
  const prepare = React.useCallback(
    (frames: grafanaData.DataFrame[]) =>
      grafanaData.applyFieldOverrides({
        data: colourSeries(frames),
        fieldConfig: { defaults: { color: { mode: grafanaData.FieldColorModeId.PaletteClassic } }, overrides: [] },
        replaceVariables: replaceLinkVariables,
        theme,
      }),
    []
  );
  const query = React.useCallback((request: grafanaData.DataQueryRequest) => ds.query(request), [ds]);
  const onDone = React.useCallback((results: PanelResult[]) => {
    window.harness.dashboardResults = results;
  }, []);
  return (
    <grafanaUi.ThemeContext.Provider value={theme}>
      <grafanaUi.GlobalStyles />
      <div style={{ background: theme.colors.background.canvas, color: theme.colors.text.primary, padding: 16 }}>
        {dashboard && (
          <DashboardPreview dashboard={dashboard} query={query} prepare={prepare} theme={theme} onDone={onDone} />
        )}
      </div>
    </grafanaUi.ThemeContext.Provider>
  );
}

const dashboardFile = new URLSearchParams(window.location.search).get('dashboard');

window.harness = {
  changes: 0,
  running: 0,
  variables: {},
  ready: loadPlugin().then((plugin) => {
    createRoot(document.getElementById('root')!).render(
      dashboardFile ? <DashboardPage plugin={plugin} file={dashboardFile} /> : <App plugin={plugin} />
    );
  }),
};
