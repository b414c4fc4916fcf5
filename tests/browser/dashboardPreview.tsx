/**
 * A shipped dashboard (dist/dashboards/*.json) drawn in the harness: each panel's queries run through the
 * plugin's DataSource.query() over the dashboard's time range, and the result is drawn with the
 * @grafana/ui component closest to the panel: TimeSeries for time series, BigValue for stats, Table for
 * tables, BarGauge rows for bar charts and histograms (Grafana's bar chart and histogram panels are not
 * in @grafana/ui), and a plain list of lines for logs (neither is Grafana's logs panel). It is not
 * Grafana's dashboard: no panel chrome, menus or field config editor; the layout follows gridPos.
 */
import * as React from 'react';
import * as grafanaData from '@grafana/data';
import * as grafanaUi from '@grafana/ui';
import { lastValueFrom, isObservable, type Observable } from 'rxjs';

interface PanelJson {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets: grafanaData.DataQuery[];
  options?: { reduceOptions?: { calcs?: string[]; fields?: string }; xField?: string };
  fieldConfig?: { defaults?: { color?: { fixedColor?: string } } };
}
export interface DashboardJson {
  uid: string;
  title: string;
  panels: PanelJson[];
  templating: { list: Array<{ type: string; name: string; query?: grafanaData.DataQuery }> };
}

/** What a panel drew, for the browser test: its frames' rows and any error. */
export interface PanelResult {
  title: string;
  type: string;
  rows: number;
  error?: string;
}

const CELL_HEIGHT = 30;
const GAP = 8;
const WIDTH = 1280;
const COLUMN = (WIDTH - GAP) / 24;

type Query = (
  request: grafanaData.DataQueryRequest
) => Observable<grafanaData.DataQueryResponse> | Promise<grafanaData.DataQueryResponse>;

async function runPanel(
  query: Query,
  targets: grafanaData.DataQuery[],
  range: grafanaData.TimeRange,
  id: number
): Promise<grafanaData.DataQueryResponse> {
  const request = {
    targets,
    range,
    scopedVars: {},
    requestId: `dashboard-${id}`,
    interval: '1m',
    intervalMs: 60_000,
    maxDataPoints: 1000,
    timezone: 'utc',
    app: 'dashboard',
    startTime: Date.now(),
  } as unknown as grafanaData.DataQueryRequest;
  const response = query(request);
  return isObservable(response) ? lastValueFrom(response) : response;
}

const rowsOf = (frame: grafanaData.DataFrame) => frame.length ?? frame.fields[0]?.values.length ?? 0;

function Stat({ frames, panel, theme, width, height }: ViewProps) {
  const calc = panel.options?.reduceOptions?.calcs?.[0] ?? 'sum';
  const pattern = panel.options?.reduceOptions?.fields;
  const regex = pattern?.startsWith('/') ? new RegExp(pattern.slice(1, -1)) : undefined;
  let total = 0;
  for (const frame of frames) {
    for (const field of frame.fields) {
      if (field.type === grafanaData.FieldType.number && (!regex || regex.test(field.name))) {
        total += calc === 'count' ? field.values.length : field.values.reduce((a: number, v) => a + (v ?? 0), 0);
      }
    }
  }
  const color = panel.fieldConfig?.defaults?.color?.fixedColor;
  return (
    <grafanaUi.BigValue
      theme={theme}
      width={width}
      height={height}
      value={{
        numeric: total,
        text: total.toLocaleString('en-US'),
        color: theme.visualization.getColorByName(color ?? 'green'),
      }}
      colorMode={grafanaUi.BigValueColorMode.Value}
      graphMode={grafanaUi.BigValueGraphMode.None}
    />
  );
}

/** Horizontal bars, one per row: a category and its count. */
function Bars({
  items,
  theme,
  width,
  height,
}: {
  items: Array<[string, number]>;
  theme: grafanaData.GrafanaTheme2;
  width: number;
  height: number;
}) {
  const max = Math.max(1, ...items.map(([, n]) => n));
  const rowHeight = Math.max(16, Math.min(28, Math.floor(height / Math.max(1, items.length))));
  return (
    <div>
      {items.map(([name, n], i) => (
        <div key={name + i} style={{ display: 'flex', alignItems: 'center', height: rowHeight }}>
          <div style={{ width: 200, overflow: 'hidden', whiteSpace: 'nowrap', fontSize: 12 }} title={name}>
            {name}
          </div>
          <grafanaUi.BarGauge
            theme={theme}
            width={width - 210}
            height={rowHeight - 4}
            field={{ min: 0, max }}
            value={{ numeric: n, text: String(n), color: theme.visualization.getColorByName('blue') }}
            orientation={grafanaData.VizOrientation.Horizontal}
            displayMode={grafanaUi.BarGaugeDisplayMode.Basic}
          />
        </div>
      ))}
    </div>
  );
}

function barItems(frames: grafanaData.DataFrame[], xField?: string): Array<[string, number]> {
  const frame = frames.find((f) => rowsOf(f) > 0);
  if (!frame) {
    return [];
  }
  const x =
    frame.fields.find((f) => f.name === xField) ?? frame.fields.find((f) => f.type === grafanaData.FieldType.string);
  const y = frame.fields.find((f) => f.type === grafanaData.FieldType.number);
  return (x?.values ?? []).map((v, i) => [String(v), Number(y?.values[i] ?? 0)] as [string, number]).slice(0, 10);
}

/** Buckets of the first number field, as the histogram panel draws them. */
function histogramItems(frames: grafanaData.DataFrame[], buckets = 10): Array<[string, number]> {
  const values = frames
    .flatMap((f) => f.fields.find((field) => field.type === grafanaData.FieldType.number)?.values ?? [])
    .filter((v): v is number => typeof v === 'number');
  if (values.length === 0) {
    return [];
  }
  const max = Math.max(...values);
  const size = Math.max(1, Math.ceil(max / buckets));
  const counts = new Array(buckets).fill(0);
  for (const v of values) {
    counts[Math.min(buckets - 1, Math.floor(v / size))]++;
  }
  const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
  return counts.map((n, i) => [`${minutes(i * size)} – ${minutes((i + 1) * size)}`, n]);
}

function Logs({ frames, height }: { frames: grafanaData.DataFrame[]; height: number }) {
  const lines: Array<{ time: number; level: string; body: string }> = [];
  for (const frame of frames) {
    const time = frame.fields.find((f) => f.type === grafanaData.FieldType.time);
    const body = frame.fields.find((f) => f.name === 'body');
    const level = frame.fields.find((f) => f.name === 'severity');
    for (let i = 0; i < rowsOf(frame); i++) {
      lines.push({ time: time?.values[i], level: level?.values[i] ?? '', body: body?.values[i] ?? '' });
    }
  }
  lines.sort((a, b) => b.time - a.time);
  return (
    <div style={{ height, overflow: 'hidden', fontFamily: 'monospace', fontSize: 11 }}>
      {lines.slice(0, Math.floor(height / 16)).map((l, i) => (
        <div key={i} style={{ whiteSpace: 'nowrap', overflow: 'hidden', height: 16 }}>
          {new Date(l.time).toISOString().replace('T', ' ').slice(0, 23)} <b>{l.level}</b> {l.body}
        </div>
      ))}
    </div>
  );
}

interface ViewProps {
  frames: grafanaData.DataFrame[];
  panel: PanelJson;
  theme: grafanaData.GrafanaTheme2;
  width: number;
  height: number;
  range: grafanaData.TimeRange;
}

function PanelView(props: ViewProps) {
  const { frames, panel, theme, width, height, range } = props;
  switch (panel.type) {
    case 'timeseries':
      return (
        <grafanaUi.TimeSeries
          frames={frames}
          width={width}
          height={height}
          timeRange={range}
          timeZone="utc"
          legend={{ displayMode: grafanaUi.LegendDisplayMode.List, placement: 'bottom', showLegend: true, calcs: [] }}
        />
      );
    case 'stat':
      return <Stat {...props} />;
    case 'barchart':
      return <Bars items={barItems(frames, panel.options?.xField)} theme={theme} width={width} height={height} />;
    case 'histogram':
      return <Bars items={histogramItems(frames)} theme={theme} width={width} height={height} />;
    case 'table': {
      const frame = frames.find((f) => rowsOf(f) > 0);
      return frame ? <grafanaUi.Table data={frame} width={width} height={height} /> : null;
    }
    case 'logs':
      return <Logs frames={frames} height={height} />;
    default:
      return <div>{`no view for panel type ${panel.type}`}</div>;
  }
}

export function DashboardPreview({
  dashboard,
  query,
  prepare,
  theme,
  onDone,
}: {
  dashboard: DashboardJson;
  query: Query;
  /** Grafana's field config step (colours, display processors, links) for a panel's frames. */
  prepare: (frames: grafanaData.DataFrame[]) => grafanaData.DataFrame[];
  theme: grafanaData.GrafanaTheme2;
  onDone: (results: PanelResult[]) => void;
}) {
  const range = React.useMemo(() => {
    const to = grafanaData.dateTime();
    const from = grafanaData.dateTime(to.valueOf() - 24 * 3600_000);
    return { from, to, raw: { from: 'now-24h', to: 'now' } };
  }, []);
  const [frames, setFrames] = React.useState<Record<number, grafanaData.DataFrame[]>>({});
  const [errors, setErrors] = React.useState<Record<number, string>>({});
  React.useEffect(() => {
    let live = true;
    void Promise.all(
      dashboard.panels.map(async (panel) => {
        try {
          const response = await runPanel(query, panel.targets, range, panel.id);
          const error = response.errors?.map((e) => e.message).join('; ');
          return { panel, frames: prepare(response.data), error };
        } catch (e) {
          return { panel, frames: [] as grafanaData.DataFrame[], error: String(e) };
        }
      })
    ).then((results) => {
      if (!live) {
        return;
      }
      setFrames(Object.fromEntries(results.map((r) => [r.panel.id, r.frames])));
      setErrors(Object.fromEntries(results.filter((r) => r.error).map((r) => [r.panel.id, r.error!])));
      onDone(
        results.map((r) => ({
          title: r.panel.title,
          type: r.panel.type,
          rows: r.frames.reduce((n, f) => n + rowsOf(f), 0),
          ...(r.error ? { error: r.error } : {}),
        }))
      );
    });
    return () => {
      live = false;
    };
  }, [dashboard, query, prepare, range, onDone]);

  const bottom = Math.max(...dashboard.panels.map((p) => p.gridPos.y + p.gridPos.h));
  return (
    <section
      id="dashboard"
      aria-label={dashboard.title}
      style={{ position: 'relative', width: WIDTH, height: bottom * (CELL_HEIGHT + GAP) + 48 }}
    >
      <h2 style={{ margin: '0 0 12px' }}>{dashboard.title}</h2>
      {dashboard.panels.map((panel) => {
        const { x, y, w, h } = panel.gridPos;
        const width = w * COLUMN - GAP;
        const height = h * (CELL_HEIGHT + GAP) - GAP;
        return (
          <div
            key={panel.id}
            role="region"
            aria-label={panel.title}
            style={{
              position: 'absolute',
              left: x * COLUMN,
              top: 40 + y * (CELL_HEIGHT + GAP),
              width,
              height,
              background: theme.colors.background.primary,
              border: `1px solid ${theme.colors.border.weak}`,
              borderRadius: 2,
              padding: 8,
              boxSizing: 'border-box',
              overflow: 'hidden',
            }}
          >
            <div style={{ fontSize: 13, fontWeight: 500, marginBottom: 4 }}>{panel.title}</div>
            {errors[panel.id] ? (
              <div role="alert">{errors[panel.id]}</div>
            ) : frames[panel.id] ? (
              <PanelView
                frames={frames[panel.id]}
                panel={panel}
                theme={theme}
                width={width - 16}
                height={height - 36}
                range={range}
              />
            ) : (
              <div>Loading…</div>
            )}
          </div>
        );
      })}
    </section>
  );
}
