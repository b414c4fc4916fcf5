// Browser test: the built plugin (dist/module.js) in headless Chromium, inside a harness that provides
// what Grafana provides plugins. Run after `npm run build`: `npm run test:browser`.
// Every run writes a screenshot of each screen to tests/browser/screenshots/ (and of the page when a check
// fails); with --screenshots it also writes the README's screenshots to docs/img/.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';

import { screenChecks, uiChecks } from './ui-checks.mjs';

const root = resolve(import.meta.dirname, '..', '..');
const screenshots = process.argv.includes('--screenshots');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

for (const file of ['dist/module.js', 'tests/browser/.build/harness.js']) {
  if (!existsSync(join(root, file))) {
    console.error(`${file} is missing: run npm run build and npm run build:harness first`);
    process.exit(1);
  }
}

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
};
// Grafana serves @grafana/ui's icons under public/build/img/icons/: without them icon buttons (remove a
// filter, open a collapsed row) have no size, and a user could not click them.
const ICONS = '/public/build/img/icons/';
const iconsDir = join(root, 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons');
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const path = url.pathname === '/' ? '/tests/browser/index.html' : url.pathname;
  const file = path.startsWith(ICONS)
    ? normalize(join(iconsDir, path.slice(ICONS.length)))
    : normalize(join(root, path));
  const allowed = [
    join(root, 'dist'),
    join(root, 'tests', 'browser'),
    join(root, 'testdata', 'containers'),
    iconsDir,
  ].some((dir) => file.startsWith(dir));
  if (!allowed || !existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const examplesDir = join(root, 'testdata', 'aws-reference');
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => readFileSync(join(examplesDir, f), 'utf8'));
const shadowExample = examples.find((e) => JSON.parse(e).eventType === 'UpdateThingShadow');

const browser = await chromium.launch({
  executablePath,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
// Each screen, written on every run (the directory is emptied first: what is there is this run's).
const shotsDir = join(root, 'tests', 'browser', 'screenshots');
rmSync(shotsDir, { recursive: true, force: true });
mkdirSync(shotsDir, { recursive: true });
const shots = [];
/** The page the checks drive (for a screenshot of it when a check fails). */
let current;
const failures = [];
async function check(name, fn) {
  try {
    await fn();
    console.log(`ok - ${name}`);
  } catch (e) {
    failures.push(name);
    console.log(
      `not ok - ${name}\n  ${String(e.stack ?? e)
        .split('\n')
        .slice(0, 6)
        .join('\n  ')}`
    );
    const file = `failed-${failures.length}.png`;
    await current
      ?.screenshot({ path: join(shotsDir, file), fullPage: true, timeout: 30_000 })
      .then(() => console.log(`  the page: tests/browser/screenshots/${file}`))
      .catch(() => {});
  }
}

try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  current = page;
  // The machine may be busy: waits on conditions get time.
  page.setDefaultTimeout(60_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base);
  await page.evaluate(() => window.harness.ready);

  // The query editor (the variable and annotation editors below have controls of the same names).
  const qe = page.locator('#query-editor');

  /** The sample with no filter and no limit: checks and screenshots patch what they need. */
  const SAMPLE = {
    source: { type: 'sample' },
    ignoreTimeRange: false,
    components: [],
    eventTypes: [],
    statuses: [],
    logLevels: [],
    fieldFilters: [],
    topicFilters: [],
    search: '',
    groupBy: [],
    metric: 'count',
    limit: undefined,
    linkFilters: null,
  };
  /** Runs the harness's query with a patch (as the editor would) and waits for its response. */
  const runWith = async (patch) => {
    await page.evaluate((p) => {
      window.previousResponse = window.harness.lastResponse;
      // `limit: undefined` does not survive the trip into the page: null clears it.
      window.harness.runWith({ limit: null, ...p });
    }, patch);
    await page.waitForFunction(() => window.harness.lastResponse !== window.previousResponse);
  };

  await check('dist/module.js loads and the query editor mounts', async () => {
    await qe.getByLabel('Log entries').waitFor();
    assert.equal(await qe.getByTestId('aws-iot-logs-query-summary').textContent(), 'Not run yet.');
  });

  await check('pasted entries become one typed frame per eventType', async () => {
    await qe.getByLabel('Log entries').fill(`${examples.join('\n')}\nnot an entry`);
    await qe.getByLabel('Log entries').blur();
    await qe.getByTestId('aws-iot-logs-query-summary').filter({ hasText: 'Last run' }).waitFor();
    assert.equal(
      await qe.getByTestId('aws-iot-logs-query-summary').textContent(),
      'Last run: 22 entries · 1 rejected · format: JSON entries (pretty-printed or concatenated) · 22 event types'
    );
    const frames = await page.evaluate(() =>
      window.harness.lastResponse.data.map((f) => ({
        name: f.name,
        length: f.length,
        types: Object.fromEntries(f.fields.map((x) => [x.name, x.type])),
      }))
    );
    assert.equal(frames.length, 22);
    const connect = frames.find((f) => f.name === 'Connect');
    assert.deepEqual(
      {
        timestamp: connect.types.timestamp,
        sourcePort: connect.types.sourcePort,
        accountId: connect.types.accountId,
        labels: connect.types.labels,
      },
      { timestamp: 'time', sourcePort: 'number', accountId: 'string', labels: 'other' }
    );
    const time = await page.evaluate(
      () => window.harness.lastResponse.data.find((f) => f.name === 'Connect').fields[0].values[0]
    );
    assert.equal(new Date(time).toISOString(), '2017-08-10T15:37:23.476Z');
    const notice = await page.evaluate(() => window.harness.lastResponse.data[0].meta.notices[0].text);
    assert.match(
      notice,
      /^1 record of 23 rejected \(1 not JSON\); 22 entries read\.\nLine \d+: text that is not JSON: "not an entry"$/
    );
  });

  await check('choosing a component narrows the event types and the frames', async () => {
    await qe.getByLabel('Component').click();
    await page.getByRole('option', { name: /^Device Shadow/ }).click();
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => window.harness.lastResponse.data.length === 3);
    const names = await page.evaluate(() => window.harness.lastResponse.data.map((f) => f.name).sort());
    assert.deepEqual(names, ['DeleteThingShadow', 'GetThingShadow', 'UpdateThingShadow']);
    await qe.getByLabel('Event type').click();
    const options = await page.getByRole('option').allTextContents();
    assert.equal(options.length, 3, options.join(' | '));
    await page.keyboard.press('Escape');
  });

  await check('the typed columns render in a Grafana table', async () => {
    await page.locator('#tables [role="table"]').first().waitFor();
    const headers = await page.locator('#tables [role="columnheader"]').allTextContents();
    for (const name of ['thingName', 'shadowName', 'topicName']) {
      assert.ok(
        headers.some((h) => h.includes(name)),
        `no ${name} column in ${headers.join(', ')}`
      );
    }
  });

  await check('the config editor says nothing is needed to start', async () => {
    await page.getByText('No settings needed to start').waitFor();
  });

  const summary = () => qe.getByTestId('aws-iot-logs-query-summary').textContent();

  await check('an uploaded .gz S3 export is detected, stored in the query and read', async () => {
    await qe.getByRole('radio', { name: 'Upload' }).click();
    await qe.locator('input[type="file"]').setInputFiles(join(root, 'testdata', 'containers', 's3-export-000000.gz'));
    await qe.getByTestId('aws-iot-logs-query-uploaded-file').waitFor();
    assert.match(
      await qe.getByTestId('aws-iot-logs-query-uploaded-file').textContent(),
      /^s3-export-000000\.gz · .* stored in the query/
    );
    await page.waitForFunction(() => window.harness.lastReport?.parse?.format === 's3-export');
    assert.match(await summary(), /^Last run: 22 entries · 0 rejected · format: CloudWatch Logs export to S3 \(gzip\)/);
  });

  await check(
    "a large file is parsed in a Web Worker loaded from the plugin's public path (next to module.js)",
    async () => {
      const scripts = [];
      page.on('request', (r) => scripts.push(r.url()));
      // Record what the worker does: a worker that fails to start would be silently replaced by the
      // main-thread fallback, which gives the same entries.
      await page.evaluate(() => {
        const Native = window.Worker;
        window.workerEvents = [];
        window.Worker = class extends Native {
          constructor(url, options) {
            super(url, options);
            window.workerEvents.push('created');
            this.addEventListener('error', (e) => window.workerEvents.push(`error: ${e.message}`));
            this.addEventListener('message', (e) => {
              if (e.data?.type === 'result') {
                window.workerEvents.push('result');
              }
            });
          }
        };
      });
      const big = Array.from({ length: 8000 }, (_, i) =>
        // A Device Shadow event type: the component chosen above still filters the frames.
        JSON.stringify({ ...JSON.parse(shadowExample), clientId: `c${i}` })
      ).join('\n');
      await page
        .locator('input[type="file"]')
        .setInputFiles({ name: 'big.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(big) });
      await page.waitForFunction(() => window.harness.lastReport?.parse?.entries === 8000);
      assert.ok(
        // The harness loads module.js from /dist/ (Grafana: public/plugins/<id>/): the worker comes from there.
        scripts.some((u) => /\/dist\/\d+\.js/.test(u)),
        `no worker script requested: ${scripts.join(', ')}`
      );
      assert.match(
        await summary(),
        /^Last run: 8,000 entries · 0 rejected · format: one JSON entry per line · 1 event type/
      );
      assert.deepEqual(await page.evaluate(() => window.workerEvents), ['created', 'result']);
      // The frames came back packed (typed arrays, joined strings) and were unpacked whole.
      const fields = await page.evaluate(() => {
        const frame = window.harness.lastResponse.data.find((f) => f.name === 'UpdateThingShadow');
        if (!frame) {
          throw new Error(`frames: ${window.harness.lastResponse.data.map((f) => `${f.name} (${f.fields.length})`)}`);
        }
        const values = (name) => {
          const field = frame.fields.find((f) => f.name === name);
          if (!field) {
            throw new Error(`no field ${name} in ${frame.fields.map((f) => f.name).join(', ')}`);
          }
          return field.values;
        };
        return {
          length: frame.length,
          clients: [values('clientId')[0], values('clientId')[7999]],
          times: values('timestamp').every((t) => typeof t === 'number'),
          body: JSON.parse(values('body')[7999]).clientId,
          severityIsLogLevel: values('severity') === values('logLevel'),
        };
      });
      assert.deepEqual(fields, {
        length: 8000,
        clients: ['c0', 'c7999'],
        times: true,
        body: 'c7999',
        severityIsLogLevel: true,
      });
    }
  );

  await check('a file of over 8 MB is parsed by a worker per core, in pieces, into what one parse gives', async () => {
    const shadow = JSON.parse(shadowExample);
    const time = (i) => {
      const s = i % 86400;
      const two = (n) => String(n).padStart(2, '0');
      return `2017-08-10 ${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}.000`;
    };
    // Bodies travel as places in the file, cut out of the page's copy; a non-ASCII entry in the second
    // half makes that piece send its bodies as text instead.
    const lines = Array.from({ length: 30000 }, (_, i) =>
      JSON.stringify({ ...shadow, timestamp: time(i), clientId: i === 25000 ? 'Gerät-25000 🚀' : `c${i}` })
    );
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    await page.evaluate(() => (window.workerEvents = []));
    await page.locator('input[type="file"]').setInputFiles({
      name: 'bigger.ndjson',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(lines.join('\n')),
    });
    await page.waitForFunction(() => window.harness.lastReport?.parse?.entries === 30000);
    const events = await page.evaluate(() => window.workerEvents);
    assert.ok(!events.some((e) => e.startsWith('error')), events.join(', '));
    // One result per piece: as many workers as cores (two on the test machine), at least one.
    assert.equal(events.filter((e) => e === 'result').length, Math.min(Math.max(cores, 1), 8), events.join(', '));
    const rows = await page.evaluate(() => {
      const frame = window.harness.lastResponse.data.find((f) => f.name === 'UpdateThingShadow');
      const values = (name) => frame.fields.find((f) => f.name === name).values;
      const at = (clientId) => values('body')[values('clientId').indexOf(clientId)];
      // The logs output keeps the newest 10,000 lines: rows 20,000 to 29,999.
      return { length: frame.length, first: at('c20000'), other: at('Gerät-25000 🚀'), last: at('c29999') };
    });
    assert.deepEqual(rows, { length: 10000, first: lines[20000], other: lines[25000], last: lines[29999] });
    assert.match(
      await summary(),
      /^Last run: 30,000 entries · 0 rejected · format: one JSON entry per line · 1 event type/
    );
  });

  await check('values nested 6,000 deep go through the real Web Worker without a stack overflow', async () => {
    // Chromium's worker overflows its stack at ~1,250-1,860 levels in structuredClone/postMessage and
    // stringify with a replacer: the parser keeps values deeper than 64 levels as JSON text.
    const deep = `${'['.repeat(6000)}${']'.repeat(6000)}`;
    const shadow = JSON.parse(shadowExample);
    // details is documented as a string; extra is not documented (an array would be a field of type other).
    const compact = JSON.stringify({ ...shadow, clientId: 'deep-compact' }).replace(
      /}$/,
      `,"details":${deep},"extra":${deep}}`
    );
    const pretty = JSON.stringify({ ...shadow, clientId: 'deep-pretty' }, null, 2).replace(
      /\n}$/,
      `,\n  "details": ${deep}\n}`
    );
    const lines = Array.from({ length: 8000 }, (_, i) => JSON.stringify({ ...shadow, clientId: `d${i}` }));
    const text = [compact, ...lines, pretty].join('\n');
    await page.evaluate(() => (window.workerEvents = []));
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'deep.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(text) });
    await page.waitForFunction(() => window.harness.lastReport?.parse?.entries === 8002);
    // The worker parsed it (a new one, or the one kept from the last run), without an error.
    const events = await page.evaluate(() => window.workerEvents);
    assert.ok(events.includes('result') && !events.some((e) => e.startsWith('error')), events.join(', '));
    const details = await page.evaluate(() => {
      const frame = window.harness.lastResponse.data.find((f) => f.name === 'UpdateThingShadow');
      const clientIds = frame.fields.find((f) => f.name === 'clientId').values;
      const values = frame.fields.find((f) => f.name === 'details').values;
      const extra = frame.fields.find((f) => f.name === 'extra').values[clientIds.indexOf('deep-compact')];
      return [
        ...['deep-compact', 'deep-pretty'].map((id) => {
          const v = values[clientIds.indexOf(id)];
          return { type: typeof v, length: v?.length };
        }),
        { type: typeof extra, length: extra?.length },
      ];
    });
    assert.deepEqual(details, [
      { type: 'string', length: 12000 },
      { type: 'string', length: 12000 },
      { type: 'string', length: 12000 },
    ]);
    assert.match(await summary(), /^Last run: 8,002 entries · 0 rejected/);
  });

  await check('the URL source reads a file under the base URL through the proxy route', async () => {
    await qe.getByRole('radio', { name: 'URL' }).click();
    await qe.getByLabel('Path').fill('filter-log-events.json');
    await qe.getByLabel('Path').blur();
    await page.waitForFunction(() => window.harness.lastReport?.parse?.format === 'filter-log-events');
    // The URL source keeps the time range: the 2017 examples are all outside the last 6 hours (3 of
    // them pass the Device Shadow filter chosen above).
    assert.equal(
      await summary(),
      'Last run: 22 entries · 0 rejected · format: filter-log-events output · 22 event types · 3 outside the time range'
    );
  });

  await check('the sample source shows the fleet re-based onto the time range', async () => {
    await qe.getByRole('radio', { name: 'Sample' }).click();
    await page.waitForFunction(() =>
      window.harness.lastResponse?.data.some((f) => f.length > 0 && f.meta?.custom?.component !== undefined)
    );
    const { times, to } = await page.evaluate(() => ({
      times: window.harness.lastResponse.data.flatMap((f) => f.fields[0]?.values ?? []),
      to: Date.now(),
    }));
    assert.ok(times.length > 0, 'no sample entries in the last 6 hours');
    assert.ok(
      times.every((t) => t >= to - 6 * 3600_000 - 60_000 && t <= to),
      'sample entries outside the last 6 hours'
    );
  });

  await check('a time series output of the sample draws one series per status, every interval present', async () => {
    await page.evaluate(() =>
      window.harness.runWith({
        source: { type: 'sample' },
        ignoreTimeRange: false,
        components: [],
        eventTypes: [],
        statuses: [],
        output: 'timeseries',
        groupBy: ['status'],
      })
    );
    await page.waitForFunction(() => window.harness.lastResponse?.data[0]?.meta?.type === 'timeseries-multi');
    const series = await page.evaluate(() =>
      window.harness.lastResponse.data.map((f) => ({
        name: f.name,
        labels: f.fields[1].labels,
        points: f.length,
        total: f.fields[1].values.reduce((a, b) => a + b, 0),
        times: f.fields[0].values,
      }))
    );
    assert.ok(series.length >= 2, `series: ${series.map((s) => s.name).join(', ')}`);
    assert.ok(series.every((s) => typeof s.labels?.status === 'string'));
    assert.ok(series.every((s) => s.points === series[0].points && s.points > 1));
    // Every interval is present: the times step evenly.
    const steps = new Set(series[0].times.slice(1).map((t, i) => t - series[0].times[i]));
    assert.equal(steps.size, 1, `uneven steps: ${[...steps].join(', ')}`);
    assert.ok(series.reduce((n, s) => n + s.total, 0) > 0);
    await page.locator('#graph canvas').first().waitFor();
    const legend = await page.locator('#graph').textContent();
    assert.ok(legend.includes('Success'), `legend: ${legend}`);
  });

  await check('a counts output of the sample renders as a sorted table with its limit', async () => {
    await page.evaluate(() => window.harness.runWith({ output: 'counts', groupBy: ['eventType'], limit: 5 }));
    await page.waitForFunction(() => window.harness.lastResponse?.data[0]?.name === 'counts');
    const frame = await page.evaluate(() => {
      const f = window.harness.lastResponse.data[0];
      return { fields: f.fields.map((x) => x.name), counts: f.fields[1].values, length: f.length };
    });
    assert.deepEqual(frame.fields, ['eventType', 'count']);
    assert.equal(frame.length, 5);
    assert.deepEqual(
      frame.counts,
      [...frame.counts].sort((a, b) => b - a)
    );
    await page.locator('#tables [role="table"]').first().waitFor();
    const headers = await page.locator('#tables [role="columnheader"]').allTextContents();
    assert.ok(
      headers.some((h) => h.includes('count')),
      headers.join(', ')
    );
    assert.equal(await page.locator('#tables [role="row"]').count(), 6);
  });

  await check("a clientId opens that device's entries in Explore through a data link", async () => {
    await runWith({ ...SAMPLE, eventTypes: ['Connect'], output: 'table' });
    const [link] = await page.evaluate(() => window.harness.linksOf('clientId'));
    assert.equal(link.title, "This device's entries");
    assert.match(link.href, /^\/explore\?left=/);
    const left = JSON.parse(decodeURIComponent(link.href.slice('/explore?left='.length)));
    const [query] = left.queries;
    assert.equal(left.datasource, 'iot');
    assert.deepEqual(query.source, { type: 'sample' });
    assert.equal(query.fieldFilters.length, 1);
    assert.equal(query.fieldFilters[0].field, 'clientId');
    assert.match(query.fieldFilters[0].value, /^[\w-]+$/);
    // The table panel makes the cell a link to it (one link: the value itself, titled by the link).
    const anchor = page
      .locator(`#tables [role="cell"] a[title="This device's entries"]`, { hasText: query.fieldFilters[0].value })
      .first();
    await anchor.waitFor();
    assert.equal(await anchor.getAttribute('href'), link.href);
  });

  await check("log context shows the same device's entries before a line, or its trace's when chosen", async () => {
    await runWith({ ...SAMPLE, eventTypes: ['Disconnect'], output: 'logs' });
    const line = await page.evaluate(() => {
      const frame = window.harness.lastResponse.data[0];
      const value = (name) => frame.fields.find((f) => f.name === name).values[2];
      return { clientId: value('clientId'), traceId: value('traceId'), time: value('timestamp') };
    });
    await page.evaluate(() => window.harness.openContext(0, 2));
    await page.locator('#log-context').waitFor();
    const byDevice = await page.evaluate(() => window.harness.lastContext);
    const clientIds = byDevice.flatMap((f) => f.clientIds);
    assert.ok(
      clientIds.length > 0 && clientIds.length <= 10,
      `${clientIds.length} context lines for ${JSON.stringify(line)}: ${JSON.stringify(byDevice)}`
    );
    assert.ok(
      clientIds.every((c) => c === line.clientId),
      clientIds.join(',')
    );
    assert.ok(byDevice.flatMap((f) => f.times).every((t) => t <= line.time));
    // Several event types of the device (its connects, publishes…), not only Disconnects.
    assert.ok(byDevice.length > 1, byDevice.map((f) => f.name).join(','));
    // The context view's choice: the same trace.
    await page.evaluate(() => {
      window.previousContext = window.harness.lastContext;
    });
    await page
      .locator('#log-context')
      .getByRole('radio', { name: /Same trace/ })
      .click();
    await page.waitForFunction(() => window.harness.lastContext !== window.previousContext);
    const byTrace = await page.evaluate(() => window.harness.lastContext);
    assert.ok(byTrace.flatMap((f) => f.traceIds).every((t) => t === line.traceId));
    await page
      .locator('#log-context')
      .getByRole('radio', { name: /Same device/ })
      .click();
  });

  await check("the variable editor lists the sample's client ids, and $clientId follows $component", async () => {
    const editor = page.locator('#variable-editor');
    await editor.getByRole('radio', { name: 'Sample' }).click();
    await editor.scrollIntoViewIfNeeded();
    await editor.getByLabel('Values of').click();
    await editor.getByLabel('Values of').fill('Client');
    await page.getByRole('option', { name: /^Client ids/ }).click();
    await page.waitForFunction(() => (window.harness.lastVariableValues ?? []).some((v) => v.value === 'pump-08'));
    const all = await page.evaluate(() => window.harness.lastVariableValues);
    assert.ok(all.length > 5, `${all.length} client ids`);
    assert.ok(all.every((v) => v.text === v.value));
    // Chained: the client ids of the component a dashboard variable holds.
    await page.evaluate(() => {
      window.harness.variables.component = ['jobs'];
      window.previousValues = window.harness.lastVariableValues;
    });
    const component = editor.getByLabel('Component');
    await component.click();
    await component.fill('$component');
    await page.getByRole('option', { name: /\$component/ }).click();
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => window.harness.lastVariableValues !== window.previousValues);
    const jobs = await page.evaluate(() => window.harness.lastVariableValues);
    assert.ok(jobs.length > 0 && jobs.length < all.length, `${jobs.length} of ${all.length}`);
    const known = new Set(all.map((v) => v.value));
    assert.ok(jobs.every((v) => known.has(v.value)));
  });

  await check('the annotation editor marks entries and sessions of the sample with no field mapping', async () => {
    const editor = page.locator('#annotation-editor');
    await editor.scrollIntoViewIfNeeded();
    await editor.getByRole('radio', { name: 'Sample' }).click();
    await editor.getByRole('radio', { name: 'Each session (region)' }).click();
    await page.waitForFunction(() => (window.harness.lastAnnotations ?? []).some((e) => e.timeEnd !== undefined));
    const sessions = await page.evaluate(() => window.harness.lastAnnotations);
    assert.ok(sessions.length > 0);
    for (const e of sessions) {
      assert.match(e.title, /^Session of /);
      assert.ok(e.tags.includes('session'), e.tags.join(','));
      // A region from Connect to Disconnect; a session begun before the data is marked where it ended.
      assert.ok(e.timeEnd >= e.time || e.tags.includes('startedBeforeData'), JSON.stringify(e));
    }
    // Every Failure, as entries: titled "<eventType> Failure", explained, tagged.
    await editor.getByRole('radio', { name: 'Each entry' }).click();
    await editor.getByLabel('Status').click();
    await page.getByRole('option', { name: 'Failure', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => {
      const events = window.harness.lastAnnotations ?? [];
      return events.length > 0 && events.every((e) => e.timeEnd === undefined && / Failure$/.test(e.title));
    });
    const failures = await page.evaluate(() => window.harness.lastAnnotations);
    for (const e of failures) {
      assert.ok(e.text && e.text.length > 0, JSON.stringify(e));
      assert.ok(e.tags.includes('Failure'), e.tags.join(','));
      assert.ok(typeof e.time === 'number');
    }
    // As many as the sample has failures in the range (a counts query of the same filter says).
    await runWith({ ...SAMPLE, statuses: ['Failure'], output: 'counts', groupBy: ['status'] });
    const counted = await page.evaluate(() => window.harness.lastResponse.data[0].fields[1].values[0]);
    assert.equal(failures.length, Math.min(counted, 1000) + (counted > 1000 ? 1 : 0));
  });

  await check('a behaviour output of the sample renders one row per device and the fleet statistics', async () => {
    await runWith({ ...SAMPLE, output: 'behaviour' });
    const frames = await page.evaluate(() =>
      window.harness.lastResponse.data.map((f) => ({
        name: f.name,
        length: f.length,
        fields: f.fields.map((x) => x.name),
      }))
    );
    assert.deepEqual(
      frames.map((f) => f.name),
      ['behaviour', 'fleet']
    );
    assert.ok(frames[0].length > 5, `${frames[0].length} devices`);
    assert.ok(frames[0].fields.includes('disconnects') && frames[0].fields.includes('connectAttempts'));
    const headers = await page.locator('#tables [role="columnheader"]').allTextContents();
    assert.ok(
      headers.some((h) => h.includes('connectAttempts')),
      headers.join(', ')
    );
  });

  await check(
    'a findings output of the sample ranks its incidents with a sentence and the threshold crossed',
    async () => {
      await runWith({ ...SAMPLE, ignoreTimeRange: true, output: 'findings' });
      const found = await page.evaluate(() => {
        const frame = window.harness.lastResponse.data[0];
        const column = (name) => frame.fields.find((f) => f.name === name).values;
        return { name: frame.name, kinds: column('kind'), sentences: column('finding') };
      });
      assert.equal(found.name, 'findings');
      for (const kind of ['storm', 'throttledRule', 'failedJob']) {
        assert.ok(found.kinds.includes(kind), `${kind} not in ${found.kinds.join(', ')}`);
      }
      assert.ok(found.sentences.every((s) => /threshold/.test(s)));
      const headers = await page.locator('#tables [role="columnheader"]').allTextContents();
      assert.ok(
        headers.some((h) => h.includes('finding')),
        headers.join(', ')
      );
      // the evidence filter is for the link, not a column to read
      assert.ok(!headers.some((h) => h.includes('evidenceFilter')), headers.join(', '));
      // the evidence opens the finding's entries in Explore
      const [link] = await page.evaluate(() => window.harness.linksOf('evidence'));
      assert.equal(link.title, "This finding's entries");
      const left = JSON.parse(decodeURIComponent(link.href.slice('/explore?left='.length)));
      const filters = JSON.parse(left.queries[0].linkFilters);
      assert.ok(filters.eventTypes.length > 0, left.queries[0].linkFilters);
      assert.ok(filters.fieldFilters.length > 0, left.queries[0].linkFilters);
      await runWith(left.queries[0]);
      const entries = await page.evaluate(() => window.harness.lastResponse.data.reduce((n, f) => n + f.length, 0));
      assert.ok(entries > 0, 'the evidence link opens no entries');
    }
  );

  await check('the config editor chooses a CloudWatch data source, a region and log groups', async () => {
    const config = page.locator('#config-editor');
    // Grafana's picker names its input "Select a data source" (its own aria-label)
    await config.locator('#aws-iot-logs-cloudwatch').click();
    await page.getByText('CloudWatch (harness)', { exact: true }).last().click();
    await config.getByLabel(/^Region/).fill('eu-west-1');
    await config
      .getByLabel(/^Log groups/)
      .fill('AWSIotLogsV2, arn:aws:logs:eu-west-1:123456789012:log-group:iot-rules:*');
    const jsonData = await page.evaluate(() => window.harness.lastOptions.jsonData);
    assert.deepEqual(jsonData, {
      cloudWatchUid: 'cloudwatch-harness',
      region: 'eu-west-1',
      logGroups: ['AWSIotLogsV2', 'arn:aws:logs:eu-west-1:123456789012:log-group:iot-rules:*'],
    });
    // the upload cap accepts typing
    const cap = config.getByLabel(/^Largest upload/);
    await cap.fill('');
    await cap.pressSequentially('2.5');
    assert.equal(await cap.inputValue(), '2.5');
  });

  await check(
    'a CloudWatch query runs as Logs Insights through the CloudWatch data source, parsed like a file',
    async () => {
      await runWith({
        ...SAMPLE,
        source: { type: 'cloudwatch' },
        eventTypes: ['Connect'],
        statuses: ['Success'],
        output: 'logs',
      });
      const result = await page.evaluate(() => {
        const r = window.harness.lastResponse;
        const types = r.data.map((f) => f.fields.find((x) => x.name === 'eventType')?.values[0]);
        return { state: r.state, errors: r.errors, rows: r.data.reduce((n, f) => n + f.length, 0), types };
      });
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      assert.equal(result.state, 'Done');
      assert.ok(result.rows > 10, `rows ${result.rows}`);
      assert.deepEqual([...new Set(result.types)], ['Connect']);
      const written = await qe.getByLabel('Written Logs Insights query').textContent();
      assert.match(written, /^fields @timestamp, @message, @logStream, @log \| filter eventType in \["Connect"\]/);
    }
  );

  await check("a CloudWatch time series counts in AWS (stats) and draws like a file's", async () => {
    await runWith({ ...SAMPLE, source: { type: 'cloudwatch' }, output: 'timeseries', groupBy: ['status'] });
    const result = await page.evaluate(() => {
      const r = window.harness.lastResponse;
      return { errors: r.errors, names: r.data.map((f) => f.name), types: r.data.map((f) => f.meta?.type) };
    });
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    assert.ok(result.names.includes('Success'), result.names.join(', '));
    assert.ok(result.types.every((t) => t === 'timeseries-multi'));
    assert.match(
      await qe.getByLabel('Written Logs Insights query').textContent(),
      /stats count\(\*\) as count by bin\(\w+\), status$/
    );
  });

  await check("Create alert rule opens Grafana's rule form prefilled with the stats query on CloudWatch", async () => {
    const link = qe.getByRole('link', { name: /Create alert rule/ });
    const href = await link.getAttribute('href');
    const url = new URL(href, 'http://grafana.local');
    assert.equal(url.pathname, '/alerting/new/alerting');
    const form = JSON.parse(url.searchParams.get('defaults'));
    const a = form.queries.find((q) => q.refId === 'A');
    assert.equal(a.datasourceUid, 'cloudwatch-harness');
    assert.deepEqual(a.model.statsGroups, ['bin(5m)', 'status']);
    await qe.getByRole('button', { name: 'Rule as YAML' }).click();
    assert.match(await qe.getByLabel('Alert rule as provisioning YAML').textContent(), /^apiVersion: 1/);
  });

  /**
   * Writes tests/browser/screenshots/<name>.png: one section, or the part of the page from the first
   * section's top to the last's bottom (the query editor and its result).
   */
  const shot = async (name, ...sections) => {
    const path = join(shotsDir, `${name}.png`);
    // No hover tooltip or open menu in the picture.
    await page.mouse.move(0, 0);
    if (sections.length === 1) {
      await sections[0].screenshot({ path, animations: 'disabled' });
    } else {
      const boxes = await Promise.all(
        sections.map((s) =>
          s.evaluate((el) => {
            const r = el.getBoundingClientRect();
            return {
              x: r.left + window.scrollX,
              y: r.top + window.scrollY,
              right: r.right + window.scrollX,
              bottom: r.bottom + window.scrollY,
            };
          })
        )
      );
      const x = Math.min(...boxes.map((b) => b.x));
      const y = Math.min(...boxes.map((b) => b.y));
      const clip = {
        x,
        y,
        width: Math.max(...boxes.map((b) => b.right)) - x,
        height: Math.max(...boxes.map((b) => b.bottom)) - y,
      };
      await page.screenshot({ path, clip, fullPage: true, animations: 'disabled' });
    }
    shots.push(`${name}.png`);
  };

  await uiChecks({ page, check, shot });
  await screenChecks({ page, check, shot });

  await check('no uncaught errors in the page', async () => {
    assert.deepEqual(errors, []);
  });

  // The shipped dashboards (dist/dashboards, the files plugin.json includes), each on a page of its own:
  // every panel's queries through the plugin on the sample, drawn with @grafana/ui (tests/browser/dashboardPreview.tsx).
  const dashboardFiles = readdirSync(join(root, 'dist', 'dashboards'))
    .filter((f) => f.endsWith('.json'))
    .sort();
  for (const file of dashboardFiles) {
    await check(`the dashboard ${file} draws every panel from the sample with no error`, async () => {
      const board = await browser.newPage({ viewport: { width: 1312, height: 900 } });
      const boardErrors = [];
      board.on('pageerror', (e) => boardErrors.push(e.message));
      try {
        await board.goto(`${base}/?dashboard=${file}`);
        await board.evaluate(() => window.harness.ready);
        await board.waitForFunction(() => window.harness.dashboardResults !== undefined, null, { timeout: 90_000 });
        const results = await board.evaluate(() => window.harness.dashboardResults);
        const json = JSON.parse(readFileSync(join(root, 'dist', 'dashboards', file), 'utf8'));
        assert.deepEqual(
          results.map((r) => r.title),
          json.panels.map((p) => p.title)
        );
        for (const r of results) {
          assert.ok(r.error === undefined && r.rows > 0, `panel "${r.title}": ${r.error ?? 'no rows'}`);
          await board.getByRole('region', { name: r.title, exact: true }).first().waitFor();
        }
        assert.equal(await board.getByRole('alert').count(), 0);
        await board.mouse.move(0, 0);
        const name = `dashboard-${file.replace(/\.json$/, '')}.png`;
        await board.locator('#dashboard').screenshot({ path: join(shotsDir, name), animations: 'disabled' });
        shots.push(name);
        if (screenshots && file === 'fleet-overview.json') {
          await board
            .locator('#dashboard')
            .screenshot({ path: join(root, 'docs', 'img', 'dashboard-fleet-overview.png') });
        }
        assert.deepEqual(boardErrors, []);
      } finally {
        await board.close();
      }
    });
  }

  if (screenshots) {
    const img = (name) => join(root, 'docs', 'img', name);
    mkdirSync(join(root, 'docs', 'img'), { recursive: true });
    const shoot = async (patch, selector, name) => {
      await page.evaluate((p) => {
        window.previousResponse = window.harness.lastResponse;
        window.harness.runWith(p);
      }, patch);
      await page.waitForFunction(() => window.harness.lastResponse !== window.previousResponse);
      await page.mouse.move(0, 0);
      await page.waitForTimeout(500);
      await page.locator(selector).screenshot({ path: img(name) });
    };
    const sample = SAMPLE;
    await shoot(
      {
        ...sample,
        components: ['message-broker'],
        statuses: ['Failure'],
        fieldFilters: [{ field: 'sourceIp', op: 'exists' }],
        output: 'counts',
        groupBy: ['eventType', 'clientId'],
      },
      '#query-editor',
      'query-editor.png'
    );
    await shoot({ ...sample, output: 'timeseries', groupBy: ['status'] }, '#graph', 'output-timeseries.png');
    await shoot(
      { ...sample, output: 'counts', groupBy: ['clientId'], statuses: ['Failure'], limit: 5 },
      '#tables',
      'output-counts.png'
    );
    await shoot(
      {
        ...sample,
        output: 'sessions',
        ignoreTimeRange: true,
        fieldFilters: [{ field: 'clientId', op: '=', value: 'pump-08' }],
      },
      '#tables',
      'output-sessions.png'
    );
    await shoot(
      { ...sample, output: 'table', eventTypes: ['Connect', 'Disconnect'], combineTables: true },
      '#tables',
      'output-table.png'
    );
    await shoot({ ...sample, output: 'logs', components: ['device-shadow'] }, '#tables', 'typed-columns.png');
    await shoot({ ...sample, output: 'behaviour' }, '#tables', 'output-behaviour.png');
    await shoot({ ...sample, ignoreTimeRange: true, output: 'findings' }, '#tables', 'output-findings.png');
    await page.locator('#log-context').screenshot({ path: img('log-context.png') });
    await page.locator('#variable-editor').getByLabel('Show counts').check({ force: true });
    await page.waitForFunction(() => (window.harness.lastVariableValues ?? []).some((v) => / \(\d/.test(v.text)));
    await page.locator('#variable-editor').screenshot({ path: img('variable-editor.png') });
    await page.locator('#annotation-editor').screenshot({ path: img('annotation-editor.png') });
    await shoot({ ...sample, output: 'table', eventTypes: ['Connect'] }, '#tables', 'data-link.png');
    // Explore's log volume: the supplementary query Explore runs for a logs query, by level.
    await shoot(
      { ...sample, output: 'timeseries', groupBy: ['logLevel'], limit: 100, supplementary: 'logsVolume' },
      '#graph',
      'log-volume.png'
    );
    await shoot(
      {
        ...sample,
        source: { type: 'cloudwatch' },
        statuses: ['Failure'],
        output: 'timeseries',
        groupBy: ['eventType'],
      },
      '#query-editor',
      'query-editor-cloudwatch.png'
    );
    await page.locator('#config-editor').screenshot({ path: img('config-editor.png') });
    console.log('screenshots written to docs/img/');
  }
  console.log(`${shots.length} screenshots written to tests/browser/screenshots/: ${shots.join(', ')}`);
} finally {
  await browser.close();
  server.close();
}

if (failures.length > 0) {
  console.error(`${failures.length} browser check(s) failed: ${failures.join('; ')}`);
  process.exit(1);
}
