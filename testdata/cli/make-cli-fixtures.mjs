// Writes the AWS CLI output fixtures in testdata/cli/ from the AWS reference examples, following what
// the AWS CLI v2 prints (awscli/customizations/logs/tail.py, awscli/formatter.py, awscli/text.py; the
// shapes are described in README.md next to this file). Deterministic: `node testdata/cli/make-cli-fixtures.mjs`.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const reference = join(here, '..', 'aws-reference');
const out = (name, data) => writeFileSync(join(here, name), data);

const examples = readdirSync(reference)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(reference, f), 'utf8')));

// AWS IoT timestamps are UTC without a zone: `2017-08-10 15:37:23.476`.
const ms = (ts) => Date.parse(`${ts.replace(' ', 'T')}Z`);
const stream = 'iot-logs/123456789012/abcdef';
// The one message kept pretty-printed (4 spaces, like the reference page) where the output allows
// line breaks inside a message: Publish-In, in the middle of the first page.
const PRETTY = 'Publish-In';
const message = (e) => (e.eventType === PRETTY ? JSON.stringify(e, null, 4) : JSON.stringify(e));

// FilterLogEvents returns events sorted by time (ties in input order); event ids grow with it.
const events = examples
  .map((e) => ({ entry: e, t: ms(e.timestamp) }))
  .sort((a, b) => a.t - b.t)
  .map(({ entry, t }, i) => ({
    logStreamName: stream,
    timestamp: t,
    message: message(entry),
    ingestionTime: t + 812,
    eventId: `3689${String(i).padStart(52, '0')}`,
    entry,
  }));
const apiEvent = ({ logStreamName, timestamp, message, ingestionTime, eventId }) => ({
  logStreamName,
  timestamp,
  message,
  ingestionTime,
  eventId,
});
// Two pages of 11 events, as the CLI's paginator fetches them.
const pages = [events.slice(0, 11), events.slice(11)];

// Python's datetime.isoformat() of a UTC time from epoch milliseconds.
const iso = (t, alwaysFraction) => {
  const s = new Date(t).toISOString(); // 2017-08-10T15:37:23.476Z
  const fraction = t % 1000 === 0 && !alwaysFraction ? '' : `${s.slice(19, 23)}000`;
  return `${s.slice(0, 19)}${fraction}+00:00`;
};
// What the tail formatters do to each event before writing it: rstrip() and one '\n'.
const line = (s) => `${s.trimEnd()}\n`;
const GREEN = '\x1b[32m';
const CYAN = '\x1b[36m';
const RESET = '\x1b[0m';

// aws logs tail AWSIotLogsV2 (--format detailed, the default), output redirected (no colour).
out('tail-detailed.txt', events.map((e) => line(`${iso(e.timestamp, true)} ${e.logStreamName} ${e.message}`)).join(''));
// The same with --color on.
out(
  'tail-detailed-color.txt',
  events
    .map((e) => line(`${GREEN}${iso(e.timestamp, true)}${RESET} ${CYAN}${e.logStreamName}${RESET} ${e.message}`))
    .join('')
);
// aws logs tail AWSIotLogsV2 --format short.
out(
  'tail-short.txt',
  events.map((e) => line(`${new Date(e.timestamp).toISOString().slice(0, 19)} ${e.message}`)).join('')
);
// aws logs tail AWSIotLogsV2 --format json: every message is JSON, so each goes on the next lines,
// re-indented by json.dumps(indent=4) (the same as JSON.stringify(v, null, 4) for these entries).
out(
  'tail-json.txt',
  events
    .map((e) => line(`${iso(e.timestamp, false)} ${e.logStreamName} \n${JSON.stringify(JSON.parse(e.message), null, 4)}`))
    .join('')
);

// aws logs filter-log-events --log-group-name AWSIotLogsV2 --output text: per page, one row per event,
// columns in sorted key order, the message raw.
const eventsRow = (e) =>
  `EVENTS\t${e.eventId}\t${e.ingestionTime}\t${e.logStreamName}\t${e.message}\t${e.timestamp}\n`;
out('filter-log-events.txt', pages.map((page) => page.map(eventsRow).join('')).join(''));
// The same with --max-items 10: ten rows and the resume token.
const resume = Buffer.from('{"nextToken": null, "boto_truncate_amount": 10}').toString('base64');
out('filter-log-events-max-items.txt', `${events.slice(0, 10).map(eventsRow).join('')}NEXTTOKEN\t${resume}\n`);
// Before May 2020 the API also returned searchedLogStreams: rows after each page's events.
out(
  'filter-log-events-searched-2019.txt',
  [events.slice(0, 4), events.slice(4, 8)]
    .map(
      (page, i) =>
        page.map(eventsRow).join('') +
        `SEARCHEDLOGSTREAMS\t${stream}\t${i === 0 ? 'False' : 'True'}\n` +
        `SEARCHEDLOGSTREAMS\tiot-logs/123456789012/0f1e2d\tTrue\n`
    )
    .join('')
);
// --query 'events[].message' --output text: each page's messages on one line, separated by tabs.
out('filter-log-events-messages.txt', pages.map((page) => `${page.map((e) => e.message).join('\t')}\n`).join(''));
// --query 'events[].message' (JSON output: json.dump(indent=4)).
out('filter-log-events-messages.json', `${JSON.stringify(events.map((e) => e.message), null, 4)}\n`);
// --query events (JSON output).
out('filter-log-events-events.json', `${JSON.stringify(events.map(apiEvent), null, 4)}\n`);

// aws logs get-log-events --output text: the two tokens, then `EVENTS ingestionTime message timestamp`.
out(
  'get-log-events.txt',
  `b/${'3689'.padEnd(56, '0')}\tf/${'3689'.padEnd(54, '0')}21\n` +
    events.map((e) => `EVENTS\t${e.ingestionTime}\t${e.message}\t${e.timestamp}\n`).join('')
);

// aws logs get-query-results, query `fields @timestamp, @message, @logStream` (@ptr is added).
const row = (e, i) => [
  { field: '@timestamp', value: e.entry.timestamp },
  { field: '@message', value: e.message },
  { field: '@logStream', value: e.logStreamName },
  { field: '@ptr', value: `CmAKJwoj${i}` },
];
const rows = events.map(row);
// --query results (JSON output).
out('get-query-results-results.json', `${JSON.stringify(rows, null, 4)}\n`);
// --output text: the scalars (queryLanguage, status) on one line, a RESULTS line per field, statistics.
out(
  'get-query-results.txt',
  'CWLI\tComplete\n' +
    rows.map((r) => r.map((f) => `RESULTS\t${f.field}\t${f.value}\n`).join('')).join('') +
    'STATISTICS\t1234567.0\t22.0\t5000.0\n'
);
// --query results --output text: a line per field, no identifier.
out('get-query-results-results.txt', rows.map((r) => r.map((f) => `${f.field}\t${f.value}\n`).join('')).join(''));

// A decoded subscription filter payload's logEvents array alone.
out(
  'subscription-logevents.json',
  `${JSON.stringify(
    events.map((e) => ({ id: e.eventId, timestamp: e.timestamp, message: e.message })),
    null,
    2
  )}\n`
);
console.log('fixtures written to testdata/cli/');
