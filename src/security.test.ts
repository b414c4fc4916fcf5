/**
 * No code built from strings and no raw HTML anywhere in the plugin's source: field values render as
 * text through Grafana's components.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory()
      ? sources(path)
      : /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)
        ? [path]
        : [];
  });
}

describe('security', () => {
  const files = sources(__dirname);

  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it.each([
    ['eval(', /\beval\s*\(/],
    ['new Function(', /\bnew\s+Function\s*\(/],
    ['dangerouslySetInnerHTML', /dangerouslySetInnerHTML/],
    ['innerHTML', /\.innerHTML\b/],
  ])('no %s', (_, pattern) => {
    expect(files.filter((file) => pattern.test(readFileSync(file, 'utf8')))).toEqual([]);
  });
});
