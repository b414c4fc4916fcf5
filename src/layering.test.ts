/**
 * What each layer may load at run time: parsing and the worker nothing of Grafana, the query path
 * (request handling, filters, outputs, sources' loading, the migration) no React and no Grafana UI, so
 * that it runs in a Web Worker, in Node (the bench) and in tests without a DOM. Read from the sources'
 * import statements (type-only imports do not load anything).
 */
import { readFileSync, existsSync } from 'fs';
import { dirname, join, resolve } from 'path';

const SRC = __dirname;

function resolveImport(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (existsSync(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

/** Every package a module loads at run time, through its relative imports too. */
function runtimePackages(entry: string): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) {
      return;
    }
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(
      /^(?:import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'|^import\s+'([^']+)'/gm
    )) {
      if (match[1]) {
        continue;
      }
      const spec = match[2] ?? match[3];
      if (spec.startsWith('.')) {
        const target = resolveImport(file, spec);
        if (target) {
          visit(target);
        }
      } else if (!packages.has(spec)) {
        packages.set(spec, file.slice(SRC.length + 1));
      }
    }
  };
  visit(join(SRC, entry));
  return packages;
}

const UI = /^(react|react-dom|@grafana\/ui|@grafana\/plugin-ui|@emotion\/)/;

describe('layering', () => {
  it.each([
    'query/runQuery.ts',
    'migrations/migrateQuery.ts',
    'output/index.ts',
    'sources/index.ts',
    'types.ts',
    'query/dataLinks.ts',
    'query/adhocFilters.ts',
    'queryImport.ts',
    'explore/logContext.ts',
    'explore/logVolume.ts',
    'annotations/annotations.ts',
    'variables/values.ts',
    'variables/adhoc.ts',
    'variables/variableQuery.ts',
  ])('%s loads no React and no Grafana UI', (entry) => {
    const ui = [...runtimePackages(entry)].filter(([pkg]) => UI.test(pkg));
    expect(ui).toEqual([]);
  });

  it('sees UI where there is some (the check works)', () => {
    expect([...runtimePackages('sources/editors.ts').keys()].some((pkg) => UI.test(pkg))).toBe(true);
  });

  it.each([
    'parsing/index.ts',
    'worker/parse.worker.ts',
    'output/index.ts',
    'query/filter.ts',
    'variables/values.ts',
    'variables/variableQuery.ts',
  ])('%s loads nothing of Grafana at run time', (entry) => {
    const grafana = [...runtimePackages(entry)].filter(([pkg]) => pkg.startsWith('@grafana/'));
    expect(grafana).toEqual([]);
  });
});
