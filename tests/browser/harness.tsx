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

type Plugin = grafanaData.DataSourcePlugin<grafanaData.DataSourceApi>;

declare global {
  interface Window {
    define: (deps: string[], factory: (...modules: unknown[]) => unknown) => void;
    harness: {
      ready: Promise<void>;
      lastResponse?: grafanaData.DataQueryResponse;
      changes: number;
      /** The data source's report of the last run (src/query/runReport.ts), as the editor reads it. */
      lastReport?: { parse?: { format: string; entries: number } };
      /** The data links of the first non-empty cell of a field in the last result, as Grafana makes them. */
      linksOf?: (field: string) => Array<{ title: string; href: string; query?: unknown }>;
      /** Changes the query as the editor would (onChange) and runs it. */
      runWith?: (patch: Record<string, unknown>) => void;
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
grafanaRuntime.setTemplateSrv({
  getVariables: () => [],
  replace: (target?: string) => target ?? '',
  containsTemplate: () => false,
  updateTimeRange: () => {},
} as unknown as grafanaRuntime.TemplateSrv);
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
const replaceLinkVariables: grafanaData.InterpolateFunction = (text, scopedVars) =>
  text.replace(/\$\{__value\.raw\}/g, () => {
    const context = scopedVars?.__dataContext?.value as { field?: grafanaData.Field; rowIndex?: number } | undefined;
    const value = context?.field && context.rowIndex !== undefined ? context.field.values[context.rowIndex] : undefined;
    return value === undefined || value === null ? '' : String(value);
  });

function App({ plugin }: { plugin: Plugin }) {
  const ds = React.useMemo(() => {
    const settings = {
      uid: 'iot',
      type: 'seed-awsiotlogs-datasource',
      name: 'AWS IoT Logs',
      url: '/api/datasources/proxy/uid/iot',
      jsonData: { baseUrl: 'https://logs.example.com/iot/' },
      meta: {},
    };
    return new plugin.DataSourceClass(settings as never);
  }, [plugin]);
  const [query, setQuery] = React.useState<grafanaData.DataQuery>({
    refId: 'A',
    ...(ds.getDefaultQuery?.('dashboard' as never) ?? {}),
  });
  const [data, setData] = React.useState<grafanaData.PanelData | undefined>();
  const latest = React.useRef(query);
  latest.current = query;

  const runs = React.useRef(0);
  const run = React.useCallback(async () => {
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
      data: resolved.data,
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
    .map((f) => ({ ...f, fields: f.fields.filter((field) => !logLineFields.includes(field.name)) }));
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
        <section id="config-editor" style={{ marginTop: 16, maxWidth: 700 }}>
          <ConfigEditor options={{ jsonData: {}, secureJsonFields: {} } as never} onOptionsChange={() => {}} />
        </section>
      </div>
    </grafanaUi.ThemeContext.Provider>
  );
}

window.harness = {
  changes: 0,
  ready: loadPlugin().then((plugin) => {
    createRoot(document.getElementById('root')!).render(<App plugin={plugin} />);
  }),
};
