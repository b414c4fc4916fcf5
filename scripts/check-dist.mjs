// Checks what `npm run build` produced: the files Grafana loads, and a plugin.json that says what
// the plugin is. Run after the build (part of `npm test`).
import { existsSync, readFileSync, statSync } from 'node:fs';

const fail = (message) => {
  console.error(`check-dist: ${message}`);
  process.exit(1);
};

for (const file of ['dist/module.js', 'dist/plugin.json', 'dist/img/logo.svg', 'dist/README.md']) {
  if (!existsSync(file) || statSync(file).size === 0) {
    fail(`${file} is missing or empty: run npm run build`);
  }
}

const plugin = JSON.parse(readFileSync('dist/plugin.json', 'utf8'));
const expected = {
  id: 'seed-awsiotlogs-datasource',
  name: 'AWS IoT Logs',
  type: 'datasource',
  category: 'iot',
  logs: true,
  metrics: true,
  annotations: true,
};
for (const [key, value] of Object.entries(expected)) {
  if (plugin[key] !== value) {
    fail(`plugin.json ${key} is ${JSON.stringify(plugin[key])}, expected ${JSON.stringify(value)}`);
  }
}
for (const key of ['backend', 'alerting', 'executable']) {
  if (plugin[key]) {
    fail(`plugin.json must not set ${key}: the plugin is frontend only`);
  }
}
if (!/^>=\d+\.\d+\.\d+/.test(plugin.dependencies?.grafanaDependency ?? '')) {
  fail('plugin.json needs a grafanaDependency such as >=13.1.0');
}
if (plugin.info.version.includes('%')) {
  fail('plugin.json version placeholder was not replaced by the build');
}

const bundle = readFileSync('dist/module.js', 'utf8');
if (!bundle.includes('seed-awsiotlogs-datasource') && !bundle.includes('AWSIotLogsV2')) {
  fail('dist/module.js does not look like this plugin');
}
for (const forbidden of ['new Function(', 'eval(', 'dangerouslySetInnerHTML']) {
  if (bundle.includes(forbidden)) {
    fail(`dist/module.js contains ${forbidden}`);
  }
}
console.log(
  `check-dist: dist/ holds ${plugin.name} ${plugin.info.version} (${(statSync('dist/module.js').size / 1024).toFixed(0)} KiB module.js)`
);
