// Checks what `npm run build` produced: the files Grafana loads, and a plugin.json that says what
// the plugin is. Run after the build (part of `npm test`).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';

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
for (const include of plugin.includes ?? []) {
  if (include.type === 'dashboard') {
    const file = `dist/${include.path}`;
    if (!existsSync(file)) {
      fail(`${file} (a dashboard plugin.json includes) is missing`);
    }
    if (!JSON.parse(readFileSync(file, 'utf8')).uid) {
      fail(`${file} has no uid`);
    }
  }
}
if (plugin.info.version.includes('%')) {
  fail('plugin.json version placeholder was not replaced by the build');
}

const bundle = readFileSync('dist/module.js', 'utf8');
if (!bundle.includes('seed-awsiotlogs-datasource') && !bundle.includes('AWSIotLogsV2')) {
  fail('dist/module.js does not look like this plugin');
}
// Every script the plugin ships (module.js and the parse worker's chunk): no code built from strings.
const scripts = readdirSync('dist').filter((f) => f.endsWith('.js'));
if (scripts.length < 2) {
  fail(`expected module.js and the parse worker chunk in dist/, found ${scripts.join(', ')}`);
}
// webpack's runtime carries one `new Function("return this")` as a fallback for environments without
// globalThis (never taken in the browsers Grafana supports): that exact shim is allowed, nothing else.
const WEBPACK_GLOBAL_SHIM = 'try{return this||new Function("return this")()}';
for (const script of scripts) {
  const code = readFileSync(`dist/${script}`, 'utf8').split(WEBPACK_GLOBAL_SHIM).join('');
  for (const forbidden of ['new Function(', 'eval(', 'dangerouslySetInnerHTML']) {
    if (code.includes(forbidden)) {
      fail(`dist/${script} contains ${forbidden}`);
    }
  }
}
console.log(
  `check-dist: dist/ holds ${plugin.name} ${plugin.info.version} (${(statSync('dist/module.js').size / 1024).toFixed(0)} KiB module.js)`
);
