/**
 * Keeps the plugin's "as code" files true: src/plugin.json against Grafana's plugin.json schema, the
 * dashboards plugin.json bundles (`includes`) against provisioning/dashboards, docker-compose.yaml against
 * what it says it starts, and every provisioning file against the shape Grafana loads.
 *
 * Runs in the jsdom project like the other tests outside src/parsing and src/worker (no
 * `@jest-environment node` docblock: jest-setup.js, which that project loads, needs a DOM); it only reads
 * files.
 */
import Ajv from 'ajv';
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { dirname, extname, join, posix, relative, resolve } from 'path';

const ROOT = resolve(__dirname, '..');
// yaml's browser build, which this jsdom project resolves `yaml` to, is ES modules that jest does not
// compile in node_modules: load its Node (CommonJS) build by path (as src/alerts/alertRule.test.ts does).
const { parse: parseYaml } = require(join(ROOT, 'node_modules/yaml/dist/index.js')) as typeof import('yaml');

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const readJson = (path: string) => JSON.parse(read(path));

const PLUGIN_JSON_TEXT = read('src/plugin.json');
const PLUGIN = JSON.parse(PLUGIN_JSON_TEXT) as {
  id: string;
  includes?: Array<{ type?: string; path?: string; uid?: string; name?: string }>;
};
/** Grafana's plugin.json schema, a verbatim copy (origin: testdata/schemas/README.md). */
const PLUGIN_SCHEMA = readJson('testdata/schemas/plugin.schema.json');

const DASHBOARDS_DIR = 'provisioning/dashboards';
/** Where Grafana's provisioning reads in the container (docker-compose mounts ./provisioning there). */
const GRAFANA_PROVISIONING = '/etc/grafana/provisioning';

/** The files under a folder of the repository, recursively, as paths relative to ROOT. */
function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = posix.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

const isYaml = (path: string) => ['.yml', '.yaml'].includes(extname(path));

describe('src/plugin.json', () => {
  /**
   * Properties Grafana reads from plugin.json that the schema copy does not list yet (its top level has
   * `additionalProperties: false`), with the type Grafana reads them as. multiValueFilterOperators: Grafana's
   * plugin metadata (pkg/plugins JSONData, `MultiValueFilterOperators bool json:"multiValueFilterOperators"`)
   * reads it and plugin-tools' plugin.json reference documents it, yet docs/sources/developers/plugins/
   * plugin.schema.json at the copied commit has no such property. Only these are taken out before
   * validation; the last test below fails once the schema copy lists one, so the exemption goes with it.
   */
  const NEWER_THAN_SCHEMA: Record<string, 'boolean'> = { multiValueFilterOperators: 'boolean' };

  /** plugin.json as the build writes it to dist: the placeholders replaced (.config/webpack/webpack.config.ts). */
  function builtPluginJson(): Record<string, unknown> {
    const text = PLUGIN_JSON_TEXT
      // the build: package.json's version (1.0.0)
      .replace(/%VERSION%/g, readJson('package.json').version)
      // the build: new Date().toISOString().substring(0, 10); a fixed day keeps the test deterministic
      .replace(/%TODAY%/g, '2026-12-02')
      .replace(/%PLUGIN_ID%/g, PLUGIN.id);
    return JSON.parse(text);
  }

  function validator() {
    // Strict in everything ajv 6 can be: all errors reported; a keyword ajv does not know fails schema
    // compilation (strictKeywords) instead of being ignored; unknown formats fail compilation (ajv 6's
    // default, kept). The schema's draft-07 `$schema` is ajv 6's default meta-schema, so nothing is added.
    const ajv = new Ajv({ allErrors: true, strictKeywords: true, unknownFormats: true });
    return { ajv, validate: ajv.compile(PLUGIN_SCHEMA) };
  }

  it('is the plugin.json of a data source whose placeholders the build replaces', () => {
    expect(PLUGIN_JSON_TEXT).toContain('%VERSION%');
    expect(PLUGIN_JSON_TEXT).toContain('%TODAY%');
    const built = builtPluginJson() as { info: { version: string; updated: string } };
    expect(built.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(built.info.updated).toBe('2026-12-02');
    expect(JSON.stringify(built)).not.toMatch(/%[A-Z_]+%/);
  });

  it("validates against Grafana's plugin.json schema (draft-07) once the build has replaced its placeholders", () => {
    const built = builtPluginJson();
    const checked = { ...built };
    for (const key of Object.keys(NEWER_THAN_SCHEMA)) {
      delete checked[key];
    }
    const { ajv, validate } = validator();
    const valid = validate(checked);
    // errorsText first: on failure jest shows which property broke which rule
    expect(ajv.errorsText(validate.errors, { dataVar: 'plugin.json' })).toBe('No errors');
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('has the properties the schema copy does not know yet with the type Grafana reads them as', () => {
    const built = builtPluginJson();
    for (const [key, type] of Object.entries(NEWER_THAN_SCHEMA)) {
      expect({ key, type: key in built ? typeof built[key] : 'absent' }).toEqual({ key, type });
    }
  });

  it('exempts from validation only properties the schema copy still lacks', () => {
    for (const key of Object.keys(NEWER_THAN_SCHEMA)) {
      expect({ key, inSchema: key in PLUGIN_SCHEMA.properties }).toEqual({ key, inSchema: false });
    }
    // and the schema would reject them: its top level allows no other properties
    expect(PLUGIN_SCHEMA.additionalProperties).toBe(false);
  });

  it('fails validation when it breaks the schema (the validator is not a no-op)', () => {
    const { validate } = validator();
    const built = builtPluginJson();
    expect(validate({ ...built, notAPluginJsonProperty: true })).toBe(false);
    expect(validate({ ...built, info: { ...(built.info as object), version: '%VERSION%x' } })).toBe(false);
  });
});

describe('plugin.json includes and provisioning/dashboards', () => {
  // The build copies provisioning/dashboards/*.json to dist/dashboards/: an include's `dashboards/x.json`
  // is provisioning/dashboards/x.json in the repository.
  const dashboardIncludes = (PLUGIN.includes ?? []).filter((include) => include.type === 'dashboard');
  const dashboardFiles = existsSync(join(ROOT, DASHBOARDS_DIR))
    ? readdirSync(join(ROOT, DASHBOARDS_DIR)).filter((file) => file.endsWith('.json'))
    : [];

  it('has every dashboard include name a JSON file of provisioning/dashboards with a uid and a title', () => {
    const uids = new Set<string>();
    for (const include of dashboardIncludes) {
      expect(include.path).toMatch(/^dashboards\/[^/]+\.json$/);
      const file = posix.join(DASHBOARDS_DIR, include.path!.slice('dashboards/'.length));
      expect({ include: include.path, file, exists: existsSync(join(ROOT, file)) }).toEqual({
        include: include.path,
        file,
        exists: true,
      });
      const dashboard = readJson(file);
      expect(typeof dashboard.uid === 'string' && dashboard.uid.length > 0).toBe(true);
      expect(typeof dashboard.title === 'string' && dashboard.title.length > 0).toBe(true);
      if (include.uid !== undefined) {
        expect({ include: include.path, uid: include.uid }).toEqual({ include: include.path, uid: dashboard.uid });
      }
      expect(uids.has(dashboard.uid)).toBe(false);
      uids.add(dashboard.uid);
    }
  });

  it('lists every dashboard JSON file of provisioning/dashboards in includes, once', () => {
    const included = dashboardIncludes.map((include) => include.path);
    expect([...included].sort()).toEqual(dashboardFiles.map((file) => `dashboards/${file}`).sort());
  });
});

interface ComposeService {
  extends?: { file: string; service: string };
  volumes?: Array<string | { source?: string; target: string }>;
  environment?: Record<string, string | number> | string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  working_dir?: string;
  command?: string | string[];
}

/** `${NAME:-default}` / `${NAME-default}` / `${NAME}` as `docker compose up` reads them with none set. */
const withDefaults = (value: string) => value.replace(/\$\{\w+(?::?-([^}]*))?\}/g, (_m, fallback) => fallback ?? '');

function composeService(file: string, name: string): ComposeService {
  const service = (parseYaml(read(file)) as { services: Record<string, ComposeService> }).services[name];
  expect(service).toBeDefined();
  return service;
}

/**
 * A service's mounts, container path → host path (absolute) or `volume:<name>`, following `extends`:
 * the base file's relative paths are relative to the base file, and a mount of the extending service
 * replaces the base's mount at the same container path (Compose's merge rule for volumes).
 */
function composeMounts(file: string, name: string): Map<string, string> {
  const service = composeService(file, name);
  const dir = dirname(join(ROOT, file));
  const mounts = service.extends
    ? composeMounts(relative(ROOT, resolve(dir, service.extends.file)), service.extends.service)
    : new Map<string, string>();
  for (const volume of service.volumes ?? []) {
    const [source = '', target] =
      typeof volume === 'string' ? withDefaults(volume).split(':') : [withDefaults(volume.source ?? ''), volume.target];
    mounts.set(target, /^[./~]/.test(source) ? resolve(dir, source) : `volume:${source}`);
  }
  return mounts;
}

/** A service's environment following `extends` (the extending service's values win). */
function composeEnvironment(file: string, name: string): Record<string, string> {
  const service = composeService(file, name);
  const base = service.extends
    ? composeEnvironment(
        relative(ROOT, resolve(dirname(join(ROOT, file)), service.extends.file)),
        service.extends.service
      )
    : {};
  const own = Array.isArray(service.environment)
    ? Object.fromEntries(service.environment.map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)]))
    : Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v)]));
  return { ...base, ...own };
}

const COMPOSE = 'docker-compose.yaml';
const grafanaMounts = () => composeMounts(COMPOSE, 'grafana');
/** The container directory docker-compose mounts ./dist at: where Grafana loads the plugin from. */
function pluginDirInContainer(): string | undefined {
  return [...grafanaMounts()].find(([, source]) => source === join(ROOT, 'dist'))?.[0];
}

describe('docker-compose.yaml', () => {
  const compose = parseYaml(read(COMPOSE)) as { services: Record<string, ComposeService>; volumes?: object };

  it('has the services plugin-build and grafana', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['plugin-build', 'grafana']));
  });

  it('starts grafana only once plugin-build has completed successfully', () => {
    expect(compose.services.grafana.depends_on).toEqual({
      'plugin-build': { condition: 'service_completed_successfully' },
    });
  });

  it('has plugin-build install the dependencies and build the plugin in the repository mounted at its working directory', () => {
    const build = compose.services['plugin-build'];
    const command = Array.isArray(build.command) ? build.command.join(' ') : String(build.command);
    expect(command).toMatch(/npm (install|ci)\b[^&|;]*&&\s*npm run build\b/);
    expect(build.working_dir).toBeDefined();
    const mounts = composeMounts(COMPOSE, 'plugin-build');
    // the build writes dist/ of the repository itself, which grafana mounts as the plugin
    expect(mounts.get(build.working_dir!)).toBe(ROOT);
    // node_modules in a named volume the file declares, not the host's
    const nodeModules = mounts.get(posix.join(build.working_dir!, 'node_modules'));
    expect(nodeModules).toMatch(/^volume:/);
    expect(Object.keys(compose.volumes ?? {})).toContain(nodeModules!.slice('volume:'.length));
  });

  it("mounts ./dist as the plugin's directory in grafana's plugins folder, and lets Grafana load it unsigned", () => {
    expect(pluginDirInContainer()).toBe(`/var/lib/grafana/plugins/${PLUGIN.id}`);
    const allowed = composeEnvironment(COMPOSE, 'grafana').GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS ?? '';
    expect(allowed.split(',').map((id) => id.trim())).toContain(PLUGIN.id);
  });

  it("mounts ./provisioning as Grafana's provisioning, and the demo's rule-free alerting folder over its alerting/", () => {
    const mounts = grafanaMounts();
    expect(mounts.get(GRAFANA_PROVISIONING)).toBe(join(ROOT, 'provisioning'));
    const alerting = mounts.get(posix.join(GRAFANA_PROVISIONING, 'alerting'));
    expect(alerting).toBe(join(ROOT, 'provisioning', 'alerting-demo'));
    // the demo has no CloudWatch data source: no rule files there for Grafana to load
    expect(readdirSync(alerting!).filter((file) => isYaml(file) || file.endsWith('.json'))).toEqual([]);
  });
});

describe('provisioning/', () => {
  const files = filesUnder('provisioning');
  const yamlFiles = files.filter(isYaml);
  const jsonFiles = files.filter((file) => file.endsWith('.json'));
  const datasourceFiles = yamlFiles.filter((file) => file.startsWith('provisioning/datasources/'));
  const providerFiles = yamlFiles.filter((file) => file.startsWith(`${DASHBOARDS_DIR}/`));

  it('has YAML provisioning files, each parsing with apiVersion 1', () => {
    expect(yamlFiles.length).toBeGreaterThan(0);
    for (const file of yamlFiles) {
      const doc = parseYaml(read(file)) as { apiVersion?: unknown } | null;
      expect({ file, apiVersion: doc?.apiVersion }).toEqual({ file, apiVersion: 1 });
    }
  });

  it('has every JSON file parse as JSON', () => {
    for (const file of jsonFiles) {
      expect(() => readJson(file)).not.toThrow();
    }
  });

  it("provisions data sources each with a name, type and unique uid, one of them the plugin's own", () => {
    expect(datasourceFiles.length).toBeGreaterThan(0);
    const datasources = datasourceFiles.flatMap(
      (file) => (parseYaml(read(file)) as { datasources?: Array<Record<string, unknown>> }).datasources ?? []
    );
    for (const ds of datasources) {
      for (const key of ['name', 'type', 'uid']) {
        expect({ datasource: ds.name, key, ok: typeof ds[key] === 'string' && ds[key] !== '' }).toEqual({
          datasource: ds.name,
          key,
          ok: true,
        });
      }
    }
    const uids = datasources.map((ds) => ds.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(datasources.filter((ds) => ds.type === PLUGIN.id)).not.toEqual([]);
  });

  it("has dashboard providers of type file reading an absolute path under Grafana's provisioning or the plugin's directory", () => {
    expect(providerFiles.length).toBeGreaterThan(0);
    const pluginDir = pluginDirInContainer();
    expect(pluginDir).toBeDefined();
    const roots = [GRAFANA_PROVISIONING, pluginDir!];
    for (const file of providerFiles) {
      const providers = (parseYaml(read(file)) as { providers?: Array<{ type?: string; options?: { path?: string } }> })
        .providers;
      expect(providers?.length).toBeGreaterThan(0);
      for (const provider of providers!) {
        const path = provider.options?.path ?? '';
        expect({ file, type: provider.type }).toEqual({ file, type: 'file' });
        const underRoot =
          posix.isAbsolute(path) &&
          posix.normalize(path) === path &&
          roots.some((root) => path === root || path.startsWith(`${root}/`));
        expect({ file, path, underRoot }).toEqual({ file, path, underRoot: true });
      }
    }
  });

  it('has dashboard providers whose path holds dashboards of the repository once docker-compose mounts it', () => {
    const mounts = grafanaMounts();
    for (const file of providerFiles) {
      const providers = (parseYaml(read(file)) as { providers: Array<{ options: { path: string } }> }).providers;
      for (const { options } of providers) {
        // the longest mounted container path that contains it decides (Docker's rule for nested mounts)
        const [target, source] = [...mounts]
          .filter(([t]) => options.path === t || options.path.startsWith(`${t}/`))
          .sort(([a], [b]) => b.length - a.length)[0] ?? ['', ''];
        expect({ path: options.path, mounted: source.startsWith('/') }).toEqual({ path: options.path, mounted: true });
        let host = join(source, options.path.slice(target.length));
        // dist/dashboards is built from provisioning/dashboards
        if (host === join(ROOT, 'dist', 'dashboards')) {
          host = join(ROOT, DASHBOARDS_DIR);
        }
        expect(existsSync(host) && statSync(host).isDirectory()).toBe(true);
        expect({ path: options.path, dashboards: readdirSync(host).some((f) => f.endsWith('.json')) }).toEqual({
          path: options.path,
          dashboards: true,
        });
      }
    }
  });
});
