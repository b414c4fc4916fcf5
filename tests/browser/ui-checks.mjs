// Checks of the query editor driven as a user drives it: by role and label (no CSS classes), through
// every source, every output mode and the filter rows, each screen written to tests/browser/screenshots/.
// run.mjs runs them on its page (see `uiChecks` there).
import assert from 'node:assert/strict';

/** The sources as the Source radio group names them (src/sources/*.ts `label`). */
const SOURCES = ['Paste', 'Upload', 'URL', 'Sample', 'CloudWatch'];

/** A device of the sample with entries in the last 6 hours. */
const DEVICE = 'pump-08';
const SHADOW_TOPICS = '$aws/things/+/shadow/#';

/**
 * @param {object} t
 * @param {import('playwright-core').Page} t.page
 * @param {(name: string, fn: () => Promise<void>) => Promise<void>} t.check
 * @param {(name: string, ...sections: import('playwright-core').Locator[]) => Promise<void>} t.shot
 */
export async function uiChecks({ page, check, shot }) {
  const qe = page.locator('#query-editor');
  const tables = page.locator('#tables');
  const graph = page.locator('#graph');
  const source = qe.getByRole('radiogroup', { name: 'Source' });
  const summary = qe.getByTestId('aws-iot-logs-query-summary');

  /** Remembers the last result: `ran` waits for a newer one. */
  const mark = () =>
    page.evaluate(() => {
      window.previousResponse = window.harness.lastResponse;
    });
  /** Waits until no run of the query is under way (the last result is then the last run's). */
  const idle = () => page.waitForFunction(() => window.harness.running === 0, null, { timeout: 90_000 });
  /**
   * Waits for a result newer than the mark, no run under way, of a run whose query holds `want` (a
   * subset: objects by key, arrays element by element): not a slower run of an earlier query.
   */
  const ran = (want) =>
    page.waitForFunction(
      (w) => {
        const matches = (a, b) =>
          Array.isArray(b)
            ? Array.isArray(a) && a.length === b.length && b.every((x, i) => matches(a[i], x))
            : b !== null && typeof b === 'object'
              ? a !== null && typeof a === 'object' && Object.keys(b).every((k) => matches(a[k], b[k]))
              : a === b;
        const { lastResponse, lastReport } = window.harness;
        return (
          window.harness.running === 0 &&
          lastResponse !== window.previousResponse &&
          lastReport?.query &&
          matches(lastReport.query, w)
        );
      },
      want,
      { timeout: 90_000 }
    );
  /**
   * The last result: its query, what its report says it returned (`matched`: entries that passed the
   * filters and the time range) and each frame's name, type, length and fields with their values.
   */
  const result = () =>
    page.evaluate(() => ({
      query: window.harness.lastReport?.query,
      output: window.harness.lastReport?.output,
      frames: window.harness.lastResponse.data.map((f) => ({
        name: f.name,
        type: f.meta?.type,
        length: f.length,
        fields: f.fields.map((x) => ({ name: x.name, type: x.type, values: Array.from(x.values) })),
      })),
    }));
  const column = (frame, name) => {
    const field = frame.fields.find((f) => f.name === name);
    assert.ok(field, `no ${name} in ${frame.name}: ${frame.fields.map((f) => f.name).join(', ')}`);
    return field.values;
  };
  const typesOf = (frame) => Object.fromEntries(frame.fields.map((f) => [f.name, f.type]));
  /** Every row's value of a field across frames (frames without it skipped). */
  const valuesOf = (frames, name) =>
    frames.flatMap((f) => f.fields.find((x) => x.name === name)?.values ?? []).filter((v) => v !== null);

  /** The column headers of the rendered tables, once the given one shows (a header is named by its sort button). */
  const renderedHeaders = async (waitFor) => {
    await tables
      .getByRole('columnheader', { name: `Sort by column ${waitFor}`, exact: true })
      .first()
      .waitFor();
    return tables.getByRole('columnheader').allTextContents();
  };
  /** The editor's line of what the run returned says the report's numbers ("2,024 of 10,976 entries matched → …"). */
  const returnedLine = async ({ output }) => {
    const line = qe.getByTestId('aws-iot-logs-query-returned');
    await line.filter({ hasText: `${output.matched.toLocaleString('en-US')} of ` }).waitFor();
    return line.textContent();
  };
  const rowsOf = (frames) => frames.reduce((n, f) => n + f.length, 0);
  const assertHeaders = (headers, names) => {
    for (const name of names) {
      assert.ok(headers.includes(name), `no ${name} column in ${headers.join(', ')}`);
    }
  };
  /** The rendered rows of each table (a row of cells, the header row left out), as text. */
  const renderedRows = (table) =>
    table
      .getByRole('row')
      .filter({ has: page.getByRole('cell') })
      .evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll('[role="cell"]')].map((cell) => cell.textContent ?? ''))
      );
  /** A rendered column's cells in every table that has it (the rows in view: the table virtualises). */
  const renderedColumn = async (name) => {
    const cells = [];
    for (const table of await tables.getByRole('table').all()) {
      const headers = await table.getByRole('columnheader').allTextContents();
      const index = headers.indexOf(name);
      if (index >= 0) {
        cells.push(...(await renderedRows(table)).map((row) => row[index]));
      }
    }
    return cells;
  };

  /** Chooses an output mode in the editor's Output control. */
  const chooseOutput = async (label) => {
    await qe.getByRole('combobox', { name: 'Output' }).click();
    await page.getByRole('option', { name: new RegExp(`^${label}`) }).click();
  };
  /** Opens the collapsed Options row (Format, Ignore time range) if it is closed. */
  const openOptions = async () => {
    const toggle = qe.getByRole('button', { name: /^Options/ });
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') {
      await toggle.click();
    }
  };
  const closeOptions = async () => {
    const toggle = qe.getByRole('button', { name: /^Options/ });
    if ((await toggle.getAttribute('aria-expanded')) === 'true') {
      await toggle.click();
    }
  };

  // ——— Sources ———

  /** What each source shows, asserted by role, label or test id. */
  const SOURCE_EDITORS = {
    Paste: async () => {
      const area = qe.getByRole('textbox', { name: 'Log entries' });
      await area.waitFor();
      assert.equal(await area.getAttribute('data-testid'), 'aws-iot-logs-query-content');
      assert.match(await area.getAttribute('placeholder'), /^Paste AWS IoT log entries/);
    },
    Upload: async () => {
      const drop = qe.getByRole('button', { name: /^Drop an AWS IoT log file here, or choose one/ });
      await drop.waitFor();
      await qe.getByTestId('aws-iot-logs-query-dropzone').waitFor();
      // The file input is the button's: hidden, reached through it (and through a drop).
      const input = qe.getByTestId('aws-iot-logs-query-file-input');
      assert.equal(await input.getAttribute('type'), 'file');
      assert.match(await input.getAttribute('accept'), /\.gz/);
      assert.match(await drop.getAttribute('aria-describedby'), /.+/);
      assert.match(
        await qe.locator(`[id="${await drop.getAttribute('aria-describedby')}"]`).textContent(),
        /S3 export/
      );
    },
    URL: async () => {
      const path = qe.getByRole('textbox', { name: 'Path' });
      await path.waitFor();
      assert.equal(await path.getAttribute('data-testid'), 'aws-iot-logs-query-url-path');
      // The base URL the path goes under, from the data source's settings.
      await qe.getByText('https://logs.example.com/iot/', { exact: true }).waitFor();
    },
    Sample: async () => {
      await qe.getByText(/^A day of a small fleet \(pumps, gateways, sensors\)/).waitFor();
      assert.equal(await qe.getByRole('textbox', { name: 'Log entries' }).count(), 0);
    },
    CloudWatch: async () => {
      const written = qe.getByRole('region', { name: 'Logs Insights query' });
      await written.waitFor();
      assert.equal(await written.getAttribute('data-testid'), 'aws-iot-logs-query-insights-written');
      // The query's filters and output, written as Logs Insights (fields … or stats …).
      assert.match(
        await written.getByLabel('Written Logs Insights query').textContent(),
        /^(fields @timestamp|stats )/
      );
      await written.getByText(/AWSIotLogsV2 · region/).waitFor();
    },
  };

  let yamlWasOpen = false;
  for (const name of SOURCES) {
    await check(`choosing the ${name} source in the editor shows its own input, and Run query reads it`, async () => {
      // The alert rule's YAML, opened by an earlier check, is closed: the screenshots show the editor.
      const hideYaml = qe.getByRole('button', { name: 'Hide rule as YAML' });
      if (await hideYaml.isVisible()) {
        yamlWasOpen = true;
        await hideYaml.click();
      }
      await source.getByRole('radio', { name, exact: true }).check();
      assert.ok(await source.getByRole('radio', { name, exact: true }).isChecked());
      await SOURCE_EDITORS[name]();
      // Run it, once what the switch itself ran is over: the result is this source's.
      await idle();
      await mark();
      await qe.getByRole('button', { name: 'Run query' }).click();
      await ran({ source: { type: name === 'Paste' ? 'inline' : name.toLowerCase() } });
      // The editor says what the run read (the sample and the files: entries; CloudWatch: its rows).
      await summary.filter({ hasText: /^(Last run: |Logs Insights returned )/ }).waitFor();
      await shot(`query-editor-${name.toLowerCase()}`, qe);
    });
  }

  await check('the CloudWatch source lets the written Logs Insights query be edited, and goes back to it', async () => {
    await source.getByRole('radio', { name: 'CloudWatch', exact: true }).check();
    const written = await qe.getByLabel('Written Logs Insights query').textContent();
    await qe.getByRole('button', { name: 'Edit the Logs Insights query' }).click();
    const text = qe.getByRole('textbox', { name: 'Logs Insights query' });
    await text.waitFor();
    assert.equal(await text.getAttribute('data-testid'), 'aws-iot-logs-query-insights-text');
    assert.equal(await text.inputValue(), written);
    await shot('query-editor-cloudwatch-edit', qe);
    await mark();
    await qe.getByRole('button', { name: 'Use the written query' }).click();
    await qe.getByLabel('Written Logs Insights query').waitFor();
    assert.equal(await text.count(), 0);
    await ran({ source: { type: 'cloudwatch' } });
  });

  // ——— Output modes, on the sample ———

  const ignoreTimeRange = qe.getByRole('switch', { name: 'Ignore time range' });
  /** Switches Ignore time range as a user does: by its label (the input itself is drawn as a slider). */
  const setIgnoreTimeRange = async (on) => {
    await openOptions();
    if ((await ignoreTimeRange.isChecked()) !== on) {
      await qe.getByText('Ignore time range', { exact: true }).click();
    }
    assert.equal(await ignoreTimeRange.isChecked(), on);
  };
  const groupBy = qe.getByRole('combobox', { name: 'Group by' });

  /** What each mode returns and how the harness draws it. */
  const MODES = [
    {
      mode: 'logs',
      label: 'Logs',
      async verify({ frames, output }) {
        assert.ok(frames.length > 3, `${frames.length} frames`);
        // Every matched entry is a line (the sample's 6 hours are under the 10,000-line limit).
        assert.equal(rowsOf(frames), output.matched);
        assert.match(await returnedLine({ output }), / → [\d,]+ log lines$/);
        for (const frame of frames) {
          assert.equal(frame.type, 'log-lines', frame.name);
          // One frame per eventType, with the entry as the body.
          assert.ok(
            column(frame, 'eventType').every((e) => e === frame.name),
            frame.name
          );
          const types = typesOf(frame);
          assert.deepEqual(
            [types.timestamp, types.body, types.severity, types.labels],
            ['time', 'string', 'string', 'other']
          );
          assert.equal(JSON.parse(column(frame, 'body')[0]).eventType, frame.name);
        }
        const headers = await renderedHeaders('clientId');
        assertHeaders(headers, ['timestamp', 'eventType', 'status', 'clientId']);
        assert.ok((await renderedRows(tables.getByRole('table').first())).length > 0, 'no rows in the first table');
        // Each table under its frame's name: the first eventType's.
        await tables.getByRole('heading', { name: frames[0].name, exact: true }).waitFor();
      },
    },
    {
      mode: 'table',
      label: 'Table',
      async verify({ frames, output }) {
        assert.ok(frames.length > 3, `${frames.length} frames`);
        assert.equal(rowsOf(frames), output.matched);
        for (const frame of frames) {
          assert.notEqual(frame.type, 'log-lines', frame.name);
          assert.ok(
            column(frame, 'eventType').every((e) => e === frame.name),
            frame.name
          );
          const names = frame.fields.map((f) => f.name);
          assert.ok(!names.includes('body') && !names.includes('labels'), names.join(', '));
          assert.equal(typesOf(frame).timestamp, 'time');
        }
        // Typed columns: a port is a number.
        assert.equal(typesOf(frames.find((f) => f.name === 'Connect')).sourcePort, 'number');
        const headers = await renderedHeaders('sourcePort');
        assertHeaders(headers, ['timestamp', 'eventType', 'clientId', 'sourceIp', 'sourcePort']);
        // The harness shows the first three tables.
        assert.equal(await tables.getByRole('table').count(), Math.min(3, frames.length));
        // Its option: one table per eventType, unless combined.
        assert.equal(await qe.getByRole('switch', { name: 'Combine tables' }).isChecked(), false);
      },
    },
    {
      mode: 'timeseries',
      label: 'Time series',
      shown: graph,
      async before() {
        // Group by status, set in the editor: what was chosen is removed, then status chosen.
        const { query } = await result();
        for (const value of query.groupBy) {
          await mark();
          await qe.getByRole('button', { name: `Remove ${value}`, exact: true }).click();
          await ran({ output: 'timeseries', groupBy: query.groupBy.filter((v) => v !== value) });
        }
        await groupBy.click();
        await groupBy.fill('status');
        await mark();
        await page
          .getByRole('option', { name: /^status/ })
          .first()
          .click();
        await page.keyboard.press('Escape');
        // The text typed to find the field stays in the input (Grafana's MultiCombobox): cleared.
        await groupBy.fill('');
        await page.keyboard.press('Escape');
        await groupBy.blur();
        await ran({ output: 'timeseries', groupBy: ['status'] });
      },
      async verify({ frames, output }) {
        assert.ok(frames.length >= 2, `${frames.length} series`);
        const statuses = [];
        for (const frame of frames) {
          assert.equal(frame.type, 'timeseries-multi', frame.name);
          assert.deepEqual(
            frame.fields.map((f) => [f.name, f.type]),
            [
              ['time', 'time'],
              ['count', 'number'],
            ]
          );
          const times = column(frame, 'time');
          const steps = new Set(times.slice(1).map((t, i) => t - times[i]));
          assert.ok(times.length > 1 && steps.size === 1, `steps ${[...steps].join(', ')}`);
          statuses.push(frame.name);
        }
        assert.ok(statuses.includes('Success') && statuses.includes('Failure'), statuses.join(', '));
        // Every matched entry counted once, in its status's series.
        const total = frames.reduce((n, f) => n + column(f, 'count').reduce((a, b) => a + b, 0), 0);
        assert.equal(total, output.matched);
        await graph.locator('canvas').first().waitFor();
        const box = await graph.locator('canvas').first().boundingBox();
        assert.ok(box && box.width > 100 && box.height > 100, JSON.stringify(box));
        // The legend names the series.
        await graph.getByText('Success', { exact: true }).first().waitFor();
        assert.equal(await tables.getByRole('table').count(), 0);
        await qe.getByRole('textbox', { name: 'Interval' }).waitFor();
      },
    },
    {
      mode: 'counts',
      label: 'Counts',
      async verify({ frames, output }) {
        assert.deepEqual(
          frames.map((f) => f.name),
          ['counts']
        );
        const [frame] = frames;
        // The group by chosen for the time series carries over: a row per status.
        assert.deepEqual(
          frame.fields.map((f) => [f.name, f.type]),
          [
            ['status', 'string'],
            ['count', 'number'],
          ]
        );
        const counts = column(frame, 'count');
        assert.deepEqual(
          counts,
          [...counts].sort((a, b) => b - a)
        );
        assert.equal(
          counts.reduce((a, b) => a + b, 0),
          output.matched
        );
        assert.ok(column(frame, 'status').includes('Failure'));
        assertHeaders(await renderedHeaders('count'), ['status', 'count']);
        const rows = await renderedRows(tables.getByRole('table').first());
        assert.deepEqual(
          rows.map((r) => r[0]),
          column(frame, 'status')
        );
        assert.equal(await qe.getByRole('spinbutton', { name: 'Row limit' }).getAttribute('placeholder'), '10');
      },
    },
    {
      mode: 'sessions',
      label: 'Sessions',
      async verify({ frames }) {
        assert.deepEqual(
          frames.map((f) => f.name),
          ['sessions']
        );
        const [frame] = frames;
        const types = typesOf(frame);
        assert.deepEqual(
          [types.clientId, types.start, types.end, types.duration, types.open],
          ['string', 'time', 'time', 'number', 'boolean']
        );
        assert.ok(frame.length > 0);
        const [start, end, duration, open, before] = ['start', 'end', 'duration', 'open', 'startedBeforeData'].map(
          (n) => column(frame, n)
        );
        for (let i = 0; i < frame.length; i++) {
          // A session is paired from its Connect and Disconnect: what is missing is said.
          assert.equal(start[i] === null, before[i], `row ${i}`);
          assert.equal(end[i] === null, open[i], `row ${i}`);
          if (start[i] !== null && end[i] !== null) {
            assert.equal(duration[i], end[i] - start[i], `row ${i}`);
          }
        }
        assert.ok(column(frame, 'clientId').includes(DEVICE), column(frame, 'clientId').join(', '));
        assertHeaders(await renderedHeaders('duration'), ['clientId', 'start', 'end', 'duration', 'disconnectReason']);
        // The explanation that replaces the options.
        await qe.getByText(/^One row per MQTT session of a client/).waitFor();
      },
    },
    {
      mode: 'behaviour',
      label: 'Behaviour',
      async verify({ frames }) {
        assert.deepEqual(
          frames.map((f) => f.name),
          ['behaviour', 'fleet']
        );
        const [devices, fleet] = frames;
        const ids = column(devices, 'clientId');
        assert.equal(new Set(ids).size, ids.length, 'one row per device');
        assert.ok(ids.includes(DEVICE), ids.join(', '));
        for (const name of ['connectAttempts', 'disconnects', 'messagesPublished']) {
          assert.equal(typesOf(devices)[name], 'number', name);
          assert.equal(typesOf(fleet)[name], 'number', name);
        }
        assert.deepEqual(column(fleet, 'statistic'), ['median', 'p90']);
        const headers = await renderedHeaders('statistic');
        assertHeaders(headers, ['clientId', 'connectAttempts', 'statistic']);
        assert.equal(await tables.getByRole('table').count(), 2);
        await tables.getByRole('heading', { name: 'fleet', exact: true }).waitFor();
        // The mode's view choice: the table.
        assert.ok(await qe.getByRole('radio', { name: 'Table', exact: true }).isChecked());
      },
    },
    {
      mode: 'findings',
      label: 'Findings',
      async verify({ frames }) {
        assert.deepEqual(
          frames.map((f) => f.name),
          ['findings']
        );
        const [frame] = frames;
        assert.ok(frame.length > 0, 'no findings in the last 6 hours');
        for (const name of ['severity', 'kind', 'subject', 'finding', 'threshold']) {
          assert.equal(typesOf(frame)[name], 'string', name);
        }
        assert.ok(
          column(frame, 'finding').every((s) => /threshold/.test(s)),
          column(frame, 'finding').join(' | ')
        );
        assert.ok(column(frame, 'severity').every((s) => ['critical', 'warning', 'info'].includes(s)));
        const headers = await renderedHeaders('finding');
        assertHeaders(headers, ['severity', 'kind', 'finding']);
        assert.ok(!headers.includes('evidenceFilter'), headers.join(', '));
        await qe.getByRole('textbox', { name: 'Thresholds' }).waitFor();
      },
    },
  ];

  await check('the Sample source, its time range applied, is chosen through the editor', async () => {
    await source.getByRole('radio', { name: 'Sample', exact: true }).check();
    await qe.getByText(/^A day of a small fleet/).waitFor();
    await setIgnoreTimeRange(false);
    await closeOptions();
    await mark();
    await qe.getByRole('button', { name: 'Run query' }).click();
    await ran({ source: { type: 'sample' }, ignoreTimeRange: false });
  });

  for (const { mode, label, before, verify, shown = tables } of MODES) {
    await check(`the ${label} output chosen in the editor renders the sample as ${mode} in the harness`, async () => {
      await mark();
      await chooseOutput(label);
      await ran({ source: { type: 'sample' }, output: mode, fieldFilters: [], search: '', topicFilters: [] });
      // The Output control shows the chosen mode.
      await qe.getByTestId('aws-iot-logs-query-output').getByText(label, { exact: true }).waitFor();
      await before?.();
      await verify(await result());
      await shot(`output-${mode}`, qe, shown);
    });
  }

  await check('Ignore time range, switched on in the Options row, finds the whole day of the sample', async () => {
    await mark();
    await setIgnoreTimeRange(true);
    await ran({ output: 'findings', ignoreTimeRange: true });
    const { frames } = await result();
    const kinds = column(frames[0], 'kind');
    for (const kind of ['storm', 'throttledRule', 'failedJob']) {
      assert.ok(kinds.includes(kind), `${kind} not in ${kinds.join(', ')}`);
    }
    await renderedHeaders('finding');
    await shot('output-findings-whole-day', qe, tables);
    await mark();
    await setIgnoreTimeRange(false);
    await ran({ output: 'findings', ignoreTimeRange: false });
    // The collapsed row says so.
    await closeOptions();
    await qe.getByText('Time range: applied').first().waitFor();
  });

  // ——— Filters ———

  await check(
    `a field filter added in the editor narrows the logs to ${DEVICE}, and removing it widens them`,
    async () => {
      await mark();
      await chooseOutput('Logs');
      await ran({ source: { type: 'sample' }, output: 'logs', fieldFilters: [] });
      const all = new Set(valuesOf((await result()).frames, 'clientId'));
      assert.ok(all.size > 5 && all.has(DEVICE), [...all].join(', '));

      await qe.getByRole('button', { name: 'Add field filter' }).click();
      const row = qe.getByRole('group', { name: 'Field filter 1' });
      const field = row.getByRole('combobox', { name: 'Field' });
      await field.click();
      await field.fill('clientId');
      await page
        .getByRole('option', { name: /^clientId/ })
        .first()
        .click();
      assert.equal(await field.inputValue(), 'clientId');
      assert.equal(await row.getByRole('combobox', { name: 'Operator' }).inputValue(), '=');
      const value = row.getByRole('textbox', { name: 'Value' });
      await value.fill(DEVICE);
      await mark();
      // Leaving the value runs the query.
      await value.press('Tab');
      await ran({ fieldFilters: [{ field: 'clientId', op: '=', value: DEVICE }] });
      const narrowed = await result();
      const ids = valuesOf(narrowed.frames, 'clientId');
      assert.ok(ids.length > 0, 'no entries left');
      assert.deepEqual([...new Set(ids)], [DEVICE]);
      assert.equal(rowsOf(narrowed.frames), narrowed.output.matched);
      await returnedLine(narrowed);
      // What the tables show: every rendered clientId is the device's.
      await tables.getByRole('cell', { name: DEVICE, exact: true }).first().waitFor();
      const cells = await renderedColumn('clientId');
      assert.ok(cells.length > 0 && cells.every((c) => c === DEVICE), cells.join(', '));
      await shot('filter-rows', qe, tables);

      // Another operator: every other device.
      await row.getByRole('combobox', { name: 'Operator' }).click();
      await mark();
      await page.getByRole('option', { name: /^!=/ }).click();
      await ran({ fieldFilters: [{ field: 'clientId', op: '!=', value: DEVICE }] });
      const others = new Set(valuesOf((await result()).frames, 'clientId'));
      assert.ok(others.size > 5 && !others.has(DEVICE), [...others].join(', '));

      await mark();
      await qe.getByRole('button', { name: 'Remove field filter 1' }).click();
      await ran({ fieldFilters: [] });
      assert.equal(await qe.getByRole('group', { name: 'Field filter 1' }).count(), 0);
      const widened = await result();
      const back = new Set(valuesOf(widened.frames, 'clientId'));
      assert.ok(back.has(DEVICE) && back.size > others.size, [...back].join(', '));
      assert.ok(widened.output.matched > narrowed.output.matched);
      await returnedLine(widened);
    }
  );

  await check('the Search box keeps the entries whose text holds it, whatever its case', async () => {
    const search = qe.getByRole('textbox', { name: 'Search', exact: true });
    await search.fill(DEVICE.toUpperCase());
    await mark();
    await search.press('Tab');
    await ran({ output: 'logs', search: DEVICE.toUpperCase() });
    const { frames } = await result();
    const bodies = valuesOf(frames, 'body');
    assert.ok(bodies.length > 0, 'nothing found');
    assert.ok(
      bodies.every((b) => b.toLowerCase().includes(DEVICE)),
      bodies.find((b) => !b.toLowerCase().includes(DEVICE))
    );
    // Not only the device's own entries: rules acting for it name it too.
    assert.ok(valuesOf(frames, 'clientId').some((c) => c !== DEVICE));
    await shot('filter-search', qe, tables);
    await search.fill('');
    await mark();
    await search.press('Tab');
    await ran({ output: 'logs', search: '' });
  });

  await check(
    'a topic filter typed in Topic filters keeps the shadow topics, and its remove button drops it',
    async () => {
      const topics = qe.getByRole('textbox', { name: 'Topic filters' });
      await topics.fill(SHADOW_TOPICS);
      await mark();
      await topics.press('Enter');
      await ran({ output: 'logs', topicFilters: [SHADOW_TOPICS] });
      const chosen = qe.getByRole('list', { name: 'Chosen topic filters' });
      assert.deepEqual(await chosen.getByRole('listitem').allTextContents(), [SHADOW_TOPICS]);
      const { frames } = await result();
      assert.ok(frames.length > 0, 'no entries on shadow topics');
      const shadow = /^\$aws\/things\/[^/]+\/shadow(\/|$)/;
      for (const frame of frames) {
        const topicFields = frame.fields.filter((f) => f.name === 'topicName' || /^resources\..*Topic$/i.test(f.name));
        for (let i = 0; i < frame.length; i++) {
          assert.ok(
            topicFields.some((f) => shadow.test(f.values[i] ?? '')),
            `${frame.name} row ${i}: ${topicFields.map((f) => `${f.name}=${f.values[i]}`).join(', ')}`
          );
        }
      }
      await page.mouse.move(0, 0);
      await shot('filter-topics', qe, tables);
      await mark();
      await qe.getByRole('button', { name: `Remove topic filter ${SHADOW_TOPICS}` }).click();
      await ran({ output: 'logs', topicFilters: [] });
      assert.equal(await chosen.count(), 0);
      assert.ok(
        (await result()).frames.length > frames.length,
        'removing the topic filter brings back the other event types'
      );
    }
  );

  if (yamlWasOpen) {
    // As it was: run.mjs's --screenshots shows the query editor with it.
    await check('Rule as YAML opens the alert rule as provisioning YAML again', async () => {
      await qe.getByRole('button', { name: 'Rule as YAML', exact: true }).click();
      assert.match(await qe.getByLabel('Alert rule as provisioning YAML').textContent(), /^apiVersion: 1/);
    });
  }
}

/**
 * The other screens as they stand after run.mjs's checks: the config editor with its CloudWatch
 * settings, the variable and annotation editors, and the log context.
 */
export async function screenChecks({ page, check, shot }) {
  await check('the config editor shows the chosen CloudWatch data source, region and log groups', async () => {
    const config = page.locator('#config-editor');
    await config.getByText('CloudWatch (harness)').first().waitFor();
    assert.equal(await config.getByRole('textbox', { name: /^Region/ }).inputValue(), 'eu-west-1');
    assert.match(
      await config.getByRole('textbox', { name: /^Log groups/ }).inputValue(),
      /^AWSIotLogsV2, arn:aws:logs:/
    );
    await config.getByRole('textbox', { name: /^Base URL/ }).waitFor();
    await shot('config-editor', config);
  });

  await check('the variable editor shows its values', async () => {
    const editor = page.locator('#variable-editor');
    await editor.getByLabel('Values of').waitFor();
    assert.ok(await editor.getByRole('radio', { name: 'Sample', exact: true }).isChecked());
    assert.ok((await editor.getByLabel('Preview of values').textContent()).length > 0, 'no values previewed');
    await shot('variable-editor', editor);
  });

  await check('the annotation editor shows its choices', async () => {
    const editor = page.locator('#annotation-editor');
    assert.ok(await editor.getByRole('radio', { name: 'Sample', exact: true }).isChecked());
    assert.ok(await editor.getByRole('radio', { name: 'Each entry', exact: true }).isChecked());
    await shot('annotation-editor', editor);
  });

  await check('the log context shows the line and the entries before it', async () => {
    const context = page.locator('#log-context');
    await context.getByRole('heading', { name: 'Log context' }).waitFor();
    await context.getByRole('radio', { name: /Same device/ }).waitFor();
    assert.ok(await context.getByRole('radio', { name: /Same device/ }).isChecked());
    await context.getByText(/▶/).waitFor();
    await shot('log-context', context);
  });
}
