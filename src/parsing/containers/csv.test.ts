import { readFileSync } from 'fs';
import { join } from 'path';
import { parseLogs } from '../index';
import { csvDelimiter, detectCsv, readCsv, splitCsvRow } from './csv';
import type { ContainerRecord } from './types';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../testdata/containers', name), 'utf8');
const reference = (name: string) => readFileSync(join(__dirname, '../../../testdata/aws-reference', name), 'utf8');

/** kind and line of each record. */
const shape = (records: ContainerRecord[]) =>
  records.map((r) => ({ line: r.line, kind: r.message !== undefined ? 'message' : r.fields ? 'fields' : 'object' }));
const messages = (n: number[]) => n.map((line) => ({ line, kind: 'message' }));
const eventTypes = (records: ContainerRecord[]) => records.map((r) => JSON.parse(r.message!).eventType);

describe('detectCsv', () => {
  it.each([
    ['@timestamp,@message,@logStream,@log\r\n2017-08-10 15:37:23.476,"{}",s,l', 'insights-csv'],
    ['\ufeff@timestamp,@message,@logStream,@log\n', 'insights-csv'],
    ['"@timestamp","@message"\n', 'insights-csv'],
    ['@timestamp,eventType,clientId,status\n', 'insights-csv'],
    ['eventType,@message\n', 'insights-csv'],
    ['@timestamp', 'insights-csv'],
    ['"Time","__log__grafana_internal__","__logstream__grafana_internal__","@message"\r\n', 'grafana-csv'],
    [
      '\ufeff"Time","__log__grafana_internal__","__logstream__grafana_internal__","@timestamp","eventType"',
      'grafana-csv',
    ],
    ['Time,@message\n', 'grafana-csv'],
  ])('%j → %s', (text, format) => {
    expect(detectCsv(text)).toBe(format);
  });

  it.each([
    ['a compact JSON entry', reference('01-Connect.json').replace(/\s+/g, '')],
    ['the first line of a pretty JSON entry', '{\n    "timestamp": "2017-08-10 15:37:23.476",\n'],
    ['a JSON entry with "@message" as a value', '{"a":"@message","b":"@timestamp"}'],
    ['a JSON array of field names', '["@timestamp","@message"]\n'],
    [
      'a legacy v1 line',
      '2016-07-20 00:09:31.034 TRACEID:8de23a59-9f0d-c2bb-bb44-d1c0d1ee8e8d PRINCIPALID:AKIAJ6... [INFO] EVENT:PublishEvent',
    ],
    ['an S3 export line', '2020-09-08T04:00:24.000Z {"timestamp":"2020-09-08 04:00:24.000","eventType":"Connect"}'],
    ['an empty string', ''],
    ['a CSV without Insights fields', 'Time,Value\n2017-08-10 17:37:23,1\n'],
    ['a header with a broken quote', '"@timestamp,@message\n'],
    ['a ;-separated CSV without Insights fields', 'Time;Value\n10.08.2017 17:37;1,5\n'],
    ['a tab-separated CSV without Insights fields', 'Time\tValue\n'],
    ['a |-separated header', '@timestamp|@message|@logStream\n'],
    ['a sep= line naming another delimiter', 'sep=|\n@timestamp|@message\n'],
    ['a sep= line and a header without Insights fields', 'sep=;\nTime;Value\n'],
    ['a legacy v1 line with ;', '2016-07-20 00:09:31.034 TRACEID:8de23a59 [INFO] EVENT:PublishEvent MESSAGE:a;b'],
  ])('undefined for %s', (_what, text) => {
    expect(detectCsv(text)).toBeUndefined();
    expect(csvDelimiter(text)).toBeUndefined();
  });

  it.each([
    ['@timestamp,@message,@logStream,@log\r\n', 'insights-csv', ','],
    ['\ufeff@timestamp;@message;@logStream;@log\r\n10.08.2017 15:37;"{""a"":""x;y""}";s;l', 'insights-csv', ';'],
    ['"@timestamp";"@message"\n', 'insights-csv', ';'],
    ['@timestamp;eventType;clientId;status\n', 'insights-csv', ';'],
    ['eventType;resources.RepublishTopic;@timestamp', 'insights-csv', ';'],
    ['"Time";"__log__grafana_internal__";"__logstream__grafana_internal__";"@message"\r\n', 'grafana-csv', ';'],
    ['@timestamp\t@message\t@logStream\t@log\n', 'insights-csv', '\t'],
    ['Time\t@message\n', 'grafana-csv', '\t'],
    ['sep=;\r\n@timestamp;@message\r\n', 'insights-csv', ';'],
    ['\ufeffSEP=,\n@timestamp,@message\n', 'insights-csv', ','],
    // A name with a comma in a ;-separated header: `,` does not give Insights names, `;` does.
    ['@timestamp;count(a,b)\n', 'insights-csv', ';'],
    // Only the header decides: a single name is read with `,` (rows are then whole fields).
    ['@message\n{"a":1;"b":2}\n', 'insights-csv', ','],
  ])('%j → %s separated by %j', (text, format, delimiter) => {
    expect(detectCsv(text)).toBe(format);
    expect(csvDelimiter(text)).toBe(delimiter);
  });

  it('looks at the first line only', () => {
    expect(detectCsv('{"eventType":"Connect"}\n@timestamp,@message\n')).toBeUndefined();
    expect(detectCsv(`x${'y'.repeat(200000)}`)).toBeUndefined();
  });
});

describe('splitCsvRow', () => {
  it('reads quoted fields, doubled quotes and line breaks inside quotes', () => {
    expect(splitCsvRow('a,"b ""c"", d","e\nf",')).toEqual(['a', 'b "c", d', 'e\nf', '']);
  });
  it.each(['a"b,c', '"a"b,c', '"a,b', 'a\nb,c'])('rejects %j', (row) => {
    expect(splitCsvRow(row)).toBeUndefined();
  });
  it('splits on the delimiter it is given, leaving the others in the fields', () => {
    expect(splitCsvRow('a;"b ""c""; d";1,5;', ';')).toEqual(['a', 'b "c"; d', '1,5', '']);
    expect(splitCsvRow('a\t"b\tc"\td;e,f', '\t')).toEqual(['a', 'b\tc', 'd;e,f']);
    expect(splitCsvRow('"a";"b"')).toBeUndefined();
    expect(splitCsvRow('"a","b"', ';')).toBeUndefined();
  });
});

describe('readCsv on the fixtures', () => {
  it('reads a Logs Insights console download (BOM, CRLF, a pretty-printed @message)', () => {
    const text = fixture('logs-insights-results.csv');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const format = detectCsv(text);
    expect(format).toBe('insights-csv');
    const out = readCsv(text, format!);
    expect(out.broken).toEqual([]);
    expect(out.notes).toEqual([]);
    expect(out.skipped).toBe(0);
    // The Publish-In entry at line 5 spans 14 lines (5–18).
    expect(shape(out.records)).toEqual(messages([2, 3, 4, 5, 19, 20, 21]));
    expect(eventTypes(out.records)).toEqual([
      'RuleExecution',
      'RuleMatch',
      'Publish-Out',
      'Publish-In',
      'Subscribe',
      'Connect',
      'UpdateThingShadow',
    ]);
    // The multi-line entry comes back byte for byte (LF inside a CRLF file, trailing spaces kept).
    expect(out.records[3].message).toBe(reference('03-Publish-In.json').replace(/\n$/, ''));
    // Doubled quotes are undone: the compact entries are the reference entries.
    expect(JSON.parse(out.records[0].message!)).toEqual(JSON.parse(reference('12-RuleExecution.json')));
    expect(JSON.parse(out.records[5].message!)).toEqual(JSON.parse(reference('01-Connect.json')));
  });

  it('reads selected fields without @message as fields, dropping empty cells', () => {
    const text = fixture('logs-insights-fields.csv');
    const format = detectCsv(text);
    expect(format).toBe('insights-csv');
    const out = readCsv(text, format!);
    expect(out.broken).toEqual([]);
    expect(out.notes).toEqual([]);
    expect(shape(out.records)).toEqual([2, 3, 4, 5, 6].map((line) => ({ line, kind: 'fields' })));
    expect(out.records[0].fields).toEqual({
      '@timestamp': '2017-08-10 16:32:46.070',
      eventType: 'RuleExecution',
      clientId: 'abf27092886e49a8a5c1922749736453',
      status: 'Success',
      'resources.RepublishTopic': 'rules/republish',
    });
    expect(out.records[4].fields).toEqual({
      '@timestamp': '2017-08-10 15:37:23.476',
      eventType: 'Connect',
      clientId: 'abf27092886e49a8a5c1922749736453',
      status: 'Success',
      sourcePort: '13490',
    });
  });

  it('reads a Grafana logs panel download (all quoted, no final line break) by @message, not by Time', () => {
    const text = fixture('grafana-logs-panel.csv');
    const format = detectCsv(text);
    expect(format).toBe('grafana-csv');
    const out = readCsv(text, format!);
    expect(out.broken).toEqual([]);
    expect(out.notes).toEqual([]);
    expect(shape(out.records)).toEqual(messages([2, 3, 4, 5, 6]));
    expect(eventTypes(out.records)).toEqual(['RuleNotFound', 'RuleExecution', 'Publish-In', 'Subscribe', 'Connect']);
    expect(JSON.parse(out.records[4].message!).timestamp).toBe('2017-08-10 15:37:23.476');
  });

  it('goes on after a row with an unclosed quote, with one broken item at its line', () => {
    const text = fixture('logs-insights-unclosed-quote.csv');
    const format = detectCsv(text);
    expect(format).toBe('insights-csv');
    const out = readCsv(text, format!);
    expect(shape(out.records)).toEqual(messages([2, 3, 5, 6, 7]));
    expect(eventTypes(out.records)).toEqual(['RuleExecution', 'RuleMatch', 'Subscribe', 'Connect', 'Disconnect']);
    expect(out.broken).toEqual([{ line: 4, message: expect.stringContaining('CSV row with an unclosed quote (")') }]);
    expect(out.broken[0].message).toContain('reading goes on at line 5');
    // Every data row is accounted for.
    expect(out.records.length + out.broken.length).toBe(6);
  });

  it('reads a Lambda log group export as plain messages (no IoT entries)', () => {
    const text = fixture('lambda-logs-insights.csv');
    const format = detectCsv(text);
    expect(format).toBe('insights-csv');
    const out = readCsv(text, format!);
    expect(out.broken).toEqual([]);
    // Lambda messages end with a line feed, so each row spans two lines.
    expect(shape(out.records)).toEqual(messages([2, 4, 6, 8, 10]));
    expect(out.records.map((r) => r.message!.split(/[ \t]/)[0])).toEqual([
      'REPORT',
      'END',
      '2023-05-04T10:15:02.214Z',
      'START',
      'INIT_START',
    ]);
    expect(out.records.every((r) => r.message!.endsWith('\n'))).toBe(true);
    expect(out.records[2].message).toContain('{"temperature":22.5,"unit":"C"}');
  });
});

describe('readCsv with another delimiter than ","', () => {
  it('reads a Logs Insights download re-saved by a spreadsheet (";", times reformatted, quotes only where needed)', () => {
    // logs-insights-results.csv as a spreadsheet in a locale with decimal commas saves it: `;` between
    // fields, @timestamp reformatted (10.08.2017 16:32), BOM and CRLF; a message holds `;` and `\"`.
    const text = fixture('logs-insights-semicolon.csv');
    expect(detectCsv(text)).toBe('insights-csv');
    expect(csvDelimiter(text)).toBe(';');
    const out = readCsv(text, 'insights-csv');
    expect(out.broken).toEqual([]);
    expect(out.notes).toEqual([]);
    expect(shape(out.records)).toEqual(messages([2, 3, 4, 5, 19, 20, 21]));
    const original = readCsv(fixture('logs-insights-results.csv'), 'insights-csv');
    expect(out.records.map((r) => r.message)).toEqual(
      original.records.map((r) =>
        r.message!.includes('"eventType":"Subscribe"')
          ? r.message!.replace(/}$/, ',"details":"Subscribed; QoS 1; \\"retained\\" off"}')
          : r.message
      )
    );
    expect(JSON.parse(out.records[4].message!).details).toBe('Subscribed; QoS 1; "retained" off');
  });

  it('parses the ;-separated download end to end, times from the entries', () => {
    const result = parseLogs(fixture('logs-insights-semicolon.csv'));
    expect(result.stats).toMatchObject({ format: 'insights-csv', records: 7, entries: 7, rejected: 0 });
    expect(result.issues).toEqual([]);
  });

  it('reads a tab-separated download, fields rows included', () => {
    const text = [
      '@timestamp\teventType\tclientId\t@message',
      '2017-08-10 15:37:23.476\tConnect\tabc\t"{""eventType"":""Connect"",\t""a"":""x,y;z""}"',
      '2017-08-10 15:37:24.000\tDisconnect\tabc\t',
    ].join('\n');
    expect(detectCsv(text)).toBe('insights-csv');
    expect(readCsv(text, 'insights-csv')).toEqual({
      records: [
        { line: 2, message: '{"eventType":"Connect",\t"a":"x,y;z"}' },
        { line: 3, fields: { '@timestamp': '2017-08-10 15:37:24.000', eventType: 'Disconnect', clientId: 'abc' } },
      ],
      broken: [],
      skipped: 0,
      notes: [],
    });
  });

  it('reads the delimiter from an Excel sep= line and counts it as line 1', () => {
    for (const nl of ['\n', '\r\n']) {
      const text = [
        'sep=;',
        '@timestamp;@message',
        '10.08.2017 15:37;"{""a"":1;""b"":2}"',
        '',
        '11.08.2017 15:37;{}',
      ].join(nl);
      expect(detectCsv(text)).toBe('insights-csv');
      const out = readCsv(`\ufeff${text}`, 'insights-csv');
      expect(out.records).toEqual([
        { line: 3, message: '{"a":1;"b":2}' },
        { line: 5, message: '{}' },
      ]);
      expect(out.broken).toEqual([]);
      expect(out.notes).toEqual([]);
    }
  });

  it('goes on after an unclosed quote at the next row, also when a spreadsheet reformatted the times', () => {
    const rows = (time: (i: number) => string) =>
      [
        '@timestamp;@message;@logStream',
        `${time(1)};"{""a"":1;""b"":""x""}";s`,
        `${time(2)};"{`,
        '  ""a"": 2;',
        `${time(3)};"{""a"":3}";s`,
      ].join('\r\n');
    for (const time of [
      (i: number) => `2017-08-10 15:37:0${i}.000`,
      (i: number) => `10.08.2017 15:3${i}`,
      (i: number) => `8/10/2017 15:3${i}`,
    ]) {
      const out = readCsv(rows(time), 'insights-csv');
      expect(out.records).toEqual([
        { line: 2, message: '{"a":1;"b":"x"}' },
        { line: 5, message: '{"a":3}' },
      ]);
      expect(out.broken).toEqual([
        { line: 3, message: 'CSV row with an unclosed quote ("); lines 3–4 skipped, reading goes on at line 5' },
      ]);
    }
  });

  it('reads with "," what the user says is a CSV when its header names no Insights field', () => {
    const out = readCsv('a;b\n1;2\n', 'insights-csv');
    expect(out.records).toEqual([{ line: 2, fields: { 'a;b': '1;2' } }]);
  });
});

describe('readCsv', () => {
  const HEADER = '@timestamp,@message,@logStream,@log';
  const T = '2017-08-10 15:37:23.476';
  const row = (message: string) => `${T},"${message.replace(/"/g, '""')}",stream,123456789012:AWSIotLogsV2`;

  it('reads LF and CRLF files alike, skipping blank lines without counting them as rows', () => {
    for (const nl of ['\n', '\r\n']) {
      const text = [HEADER, row('{"a":1}'), '', row('{"a":2}'), '   ', row('{"a":3}'), '', ''].join(nl);
      const out = readCsv(text, 'insights-csv');
      expect(out.records).toEqual([
        { line: 2, message: '{"a":1}' },
        { line: 4, message: '{"a":2}' },
        { line: 6, message: '{"a":3}' },
      ]);
      expect(out.broken).toEqual([]);
      expect(out.notes).toEqual([]);
    }
  });

  it('keeps a quoted multi-line @message exactly, with "" undone', () => {
    const message = '{\r\n  "a": "x, ""y""",\n\n  "b": 2\n}\n';
    const out = readCsv([HEADER, row(message), row('{"c":3}')].join('\r\n'), 'insights-csv');
    expect(out.records).toEqual([
      { line: 2, message },
      { line: 8, message: '{"c":3}' },
    ]);
  });

  it('reads a row with an empty @message as its other fields', () => {
    const out = readCsv(`${HEADER}\n${T},,stream,123456789012:AWSIotLogsV2\n`, 'insights-csv');
    expect(out.records).toEqual([
      { line: 2, fields: { '@timestamp': T, '@logStream': 'stream', '@log': '123456789012:AWSIotLogsV2' } },
    ]);
  });

  it('drops Grafana internals and Time from fields rows', () => {
    const text =
      '\ufeff"Time","__log__grafana_internal__","__logstream__grafana_internal__","@timestamp","eventType","clientId"\r\n' +
      `"2017-08-10 17:37:23","123456789012:AWSIotLogsV2","stream","${T}","Connect","abc"\r\n` +
      `2017-08-10 17:37:24,123456789012:AWSIotLogsV2,stream,,Disconnect,`;
    expect(detectCsv(text)).toBe('grafana-csv');
    const out = readCsv(text, 'grafana-csv');
    expect(out.records).toEqual([
      { line: 2, fields: { '@timestamp': T, eventType: 'Connect', clientId: 'abc' } },
      { line: 3, fields: { eventType: 'Disconnect' } },
    ]);
    expect(out.notes).toEqual([]);
  });

  it('keeps a Time column in a Logs Insights download (only Grafana’s Time is dropped)', () => {
    const out = readCsv('eventType,Time\nConnect,12:00\n', 'insights-csv');
    expect(out.records).toEqual([{ line: 2, fields: { eventType: 'Connect', Time: '12:00' } }]);
  });

  it('notes a Grafana CSV that has no exact time', () => {
    const text = '"Time","__log__grafana_internal__","eventType"\n"2017-08-10 17:37:23","x","Connect"\n';
    const out = readCsv(text, 'grafana-csv');
    expect(out.records).toEqual([{ line: 2, fields: { eventType: 'Connect' } }]);
    expect(out.notes).toEqual([expect.stringContaining('Time column')]);
  });

  it('notes a header without rows', () => {
    for (const text of [HEADER, `\ufeff${HEADER}\r\n`, `${HEADER}\n\n\n`]) {
      expect(readCsv(text, 'insights-csv')).toEqual({
        records: [],
        broken: [],
        skipped: 0,
        notes: ['the CSV has a header but no rows'],
      });
    }
  });

  it('reads @message from rows with too many or too few fields, and notes them', () => {
    const text = [HEADER, `${T},"{""a"":1}",stream`, `${T},"{""a"":2}",stream,log,extra`, row('{"a":3}')].join('\n');
    const out = readCsv(text, 'insights-csv');
    expect(out.records).toEqual([
      { line: 2, message: '{"a":1}' },
      { line: 3, message: '{"a":2}' },
      { line: 4, message: '{"a":3}' },
    ]);
    expect(out.broken).toEqual([]);
    expect(out.notes).toEqual([
      '2 CSV rows (lines 2, 3) have a different number of fields than the header (4): their @message was read anyway',
    ]);
  });

  it('reads a row whose closing quote is followed by the line end as a short row (the cut is inside the JSON)', () => {
    const out = readCsv(`${HEADER}\n${T},"{""a"":""x"","\n${row('{"b":1}')}\n`, 'insights-csv');
    expect(out.records).toEqual([
      { line: 2, message: '{"a":"x",' },
      { line: 3, message: '{"b":1}' },
    ]);
  });

  it('puts rows with a wrong number of fields and no @message in broken, naming the line', () => {
    const text = 'eventType,clientId,status\nConnect,abc,Success\nDisconnect,abc\nPublish-In,abc,Success,extra\n';
    const out = readCsv(text, 'insights-csv');
    expect(out.records).toEqual([{ line: 2, fields: { eventType: 'Connect', clientId: 'abc', status: 'Success' } }]);
    expect(out.broken).toEqual([
      { line: 3, message: 'CSV row at line 3 has 2 fields where the header has 3 (too few fields)' },
      { line: 4, message: 'CSV row at line 4 has 4 fields where the header has 3 (too many fields)' },
    ]);
  });

  it('reports a row cut at the end of the file as one broken item', () => {
    const text = [HEADER, row('{"a":1}'), `${T},"{""a"":`, '  ""b"": 2', ''].join('\n');
    const out = readCsv(text, 'insights-csv');
    expect(out.records).toEqual([{ line: 2, message: '{"a":1}' }]);
    expect(out.broken).toEqual([
      { line: 3, message: 'CSV row with an unclosed quote ("): the rest of the file (lines 3–4) could not be read' },
    ]);
    const last = readCsv(`${HEADER}\n${T},"{""a"":`, 'insights-csv');
    expect(last.broken).toEqual([
      { line: 2, message: 'CSV row with an unclosed quote (") at the end of the file (truncated?)' },
    ]);
  });

  it('skips the lines of an unclosed pretty-printed @message and goes on at the next row', () => {
    const text = [HEADER, `${T},"{`, '  ""a"": 1,', '  ""b"": ""x""', row('{\n  "c": 3\n}'), row('{"d":4}')].join(
      '\r\n'
    );
    const out = readCsv(text, 'insights-csv');
    expect(out.records).toEqual([
      { line: 5, message: '{\n  "c": 3\n}' },
      { line: 8, message: '{"d":4}' },
    ]);
    expect(out.broken).toEqual([
      { line: 2, message: 'CSV row with an unclosed quote ("); lines 2–4 skipped, reading goes on at line 5' },
    ]);
  });

  it('goes on after a misplaced quote', () => {
    const text = [HEADER, `${T},"{}"x,stream,log`, row('{"a":1}')].join('\n');
    const out = readCsv(text, 'insights-csv');
    expect(out.records).toEqual([{ line: 3, message: '{"a":1}' }]);
    expect(out.broken).toEqual([{ line: 2, message: expect.stringContaining('misplaced quote') }]);
  });

  it('goes on after an unclosed quote in a CSV whose rows do not start with a time', () => {
    const text = 'eventType,clientId\nConnect,"abc\nDisconnect,def\nPing,ghi\n';
    const out = readCsv(text, 'insights-csv');
    expect(out.records).toEqual([
      { line: 3, fields: { eventType: 'Disconnect', clientId: 'def' } },
      { line: 4, fields: { eventType: 'Ping', clientId: 'ghi' } },
    ]);
    expect(out.broken).toEqual([{ line: 2, message: expect.stringContaining('unclosed quote') }]);
  });

  it('reads a file full of unclosed quotes (linear: quadratic reading would time out; no clock here)', () => {
    const lines = Array.from({ length: 20000 }, (_, i) => `${T},"{""a"":${i}`);
    const out = readCsv([HEADER, ...lines].join('\n'), 'insights-csv');
    expect(out.records).toEqual([]);
    expect(out.broken).toEqual([{ line: 2, message: expect.stringContaining('lines 2–20001') }]);
  });

  it('keeps odd header names as plain keys', () => {
    const out = readCsv('@timestamp,__proto__,constructor\n1,2,3\n', 'insights-csv');
    const fields = out.records[0].fields!;
    expect(Object.keys(fields)).toEqual(['@timestamp', '__proto__', 'constructor']);
    expect(fields.__proto__).toBe('2');
  });
});
