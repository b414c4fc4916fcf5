// Writes the container fixtures in testdata/containers/ from the AWS reference examples, following the
// documented shapes (log-formats.md §3). Kept for reproducibility: `node testdata/make-container-fixtures.mjs`.
// The CSV fixtures are written by hand and not touched here.
import { gzipSync } from 'fflate';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const out = (name, data) => writeFileSync(join(here, 'containers', name), data);
const examples = readdirSync(join(here, 'aws-reference'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(here, 'aws-reference', f), 'utf8')));
const compact = examples.map((e) => JSON.stringify(e));
const pretty = (e) => JSON.stringify(e, null, 4);
const ms = (ts) => Date.parse(`${ts.replace(' ', 'T')}Z`);
const stream = 'iot-logs/123456789012/abcdef';
const gz = (text) => Buffer.from(gzipSync(Buffer.from(text)));

// Logs Insights API (aws logs get-query-results), as the AWS CLI prints it.
const insightsRow = (e, i) => [
  { field: '@timestamp', value: e.timestamp },
  { field: '@message', value: JSON.stringify(e) },
  { field: '@logStream', value: stream },
  { field: '@ptr', value: `CmAKJwoj${i}` },
];
const insights = (rows, status) =>
  JSON.stringify(
    {
      results: rows,
      statistics: { recordsMatched: rows.length, recordsScanned: 5000.0, bytesScanned: 1234567.0 },
      status,
    },
    null,
    4
  );
out('insights-api.json', insights(examples.map(insightsRow), 'Complete'));
out('insights-api-running.json', insights(examples.slice(0, 5).map(insightsRow), 'Running'));
const full = insights(examples.map(insightsRow), 'Complete');
// Cut in the middle of the file (inside the @message of the twelfth row).
out('insights-api-truncated.json', full.slice(0, Math.floor(full.length / 2)));
// `fields @timestamp, eventType, clientId, status, sourcePort, resources.RepublishTopic` (no @message).
const fieldRows = examples
  .filter((e) => ['Connect', 'RuleExecution', 'Publish-In', 'UpdateJobExecution'].includes(e.eventType))
  .map((e) =>
    [
      { field: '@timestamp', value: e.timestamp },
      { field: 'eventType', value: e.eventType },
      e.clientId && { field: 'clientId', value: e.clientId },
      { field: 'status', value: e.status },
      e.sourcePort !== undefined && { field: 'sourcePort', value: String(e.sourcePort) },
      e.resources && { field: 'resources.RepublishTopic', value: e.resources.RepublishTopic },
      e.jobId && { field: 'jobId', value: e.jobId },
    ].filter(Boolean)
  );
out('insights-api-fields.json', insights(fieldRows, 'Complete'));

// Logs Insights console "Download table (JSON)": @message a string or already an object; values strings.
out(
  'insights-console.json',
  JSON.stringify(
    examples.map((e, i) => ({
      '@timestamp': e.timestamp,
      '@message': i % 2 === 0 ? JSON.stringify(e) : e,
      '@logStream': stream,
      '@log': '123456789012:AWSIotLogsV2',
    })),
    null,
    2
  )
);

// aws logs filter-log-events.
const event = (e, i) => ({
  logStreamName: stream,
  timestamp: ms(e.timestamp),
  message: JSON.stringify(e),
  ingestionTime: ms(e.timestamp) + 812,
  eventId: `3689${String(i).padStart(52, '0')}`,
});
out('filter-log-events.json', JSON.stringify({ events: examples.map(event), searchedLogStreams: [] }, null, 4));
// aws logs get-log-events, two pages appended to one file (`>>`), fetched with an overlap: the last
// event of page one opens page two.
const plain = (e) => ({ timestamp: ms(e.timestamp), message: JSON.stringify(e), ingestionTime: ms(e.timestamp) + 500 });
out(
  'get-log-events.json',
  [
    { events: examples.slice(0, 5).map(plain), nextForwardToken: 'f/3689', nextBackwardToken: 'b/3689' },
    { events: examples.slice(4, 6).map(plain), nextForwardToken: 'f/3690', nextBackwardToken: 'b/3690' },
  ]
    .map((page) => JSON.stringify(page, null, 4))
    .join('\n')
);
// A Lambda function's log group exported the same way: a container with no AWS IoT entries at all.
out(
  'filter-log-events-lambda.json',
  JSON.stringify(
    {
      events: Array.from({ length: 40 }, (_, i) => ({
        logStreamName: '2024/03/04/[$LATEST]0a1b2c',
        timestamp: 1709510400000 + i * 1000,
        message: [
          'START RequestId: 8f5e Version: $LATEST\n',
          'processing batch\n',
          'END RequestId: 8f5e\n',
          'REPORT RequestId: 8f5e\tDuration: 12.3 ms\n',
        ][i % 4],
        ingestionTime: 1709510400500 + i * 1000,
        eventId: `3770${String(i).padStart(52, '0')}`,
      })),
    },
    null,
    2
  )
);

// Export to S3: ISO prefix, multi-line messages continue without it, not in time order.
const s3Lines = [...examples]
  .reverse()
  .map((e, i) => `${new Date(ms(e.timestamp)).toISOString()} ${i === 3 ? pretty(e) : JSON.stringify(e)}`);
const s3 = `${s3Lines.join('\n')}\n`;
out('s3-export-000000.gz', gz(s3));
const s3gz = gz(s3);
out('s3-export-truncated.gz', s3gz.subarray(0, Math.floor(s3gz.length * 0.6)));

// Subscription filter: the payload, the Lambda event, Firehose's concatenated payloads with a control message.
const payload = (events, extra = {}) => ({
  messageType: 'DATA_MESSAGE',
  owner: '123456789012',
  logGroup: 'AWSIotLogsV2',
  logStream: stream,
  subscriptionFilters: ['to-firehose'],
  logEvents: events.map((e, i) => ({
    id: `3689${String(i).padStart(52, '0')}`,
    timestamp: ms(e.timestamp),
    message: JSON.stringify(e),
  })),
  ...extra,
});
const control = {
  messageType: 'CONTROL_MESSAGE',
  owner: 'CloudwatchLogs',
  logGroup: '',
  logStream: '',
  subscriptionFilters: [],
  logEvents: [
    { id: '', timestamp: 1709510400000, message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.' },
  ],
};
out('subscription-payload.json', JSON.stringify(payload(examples.slice(0, 8)), null, 2));
out(
  'subscription-lambda-event.json',
  JSON.stringify({ awslogs: { data: gz(JSON.stringify(payload(examples.slice(8, 16)))).toString('base64') } }, null, 2)
);
const firehose = [
  JSON.stringify(control),
  JSON.stringify(payload(examples.slice(0, 11))),
  JSON.stringify(payload(examples.slice(11))),
].join('');
out('firehose-payloads.gz', gz(firehose));
out('subscription-bad-base64.json', JSON.stringify({ awslogs: { data: 'H4sIAAAA!!not-base64!!' } }, null, 2));

// A gzip bomb: 64 MiB of spaces in about 64 KB.
out('gzip-bomb.gz', gz(' '.repeat(64 * 1024 * 1024)));
console.log('fixtures written to testdata/containers/');
