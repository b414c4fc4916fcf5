// Extends create-plugin's webpack configuration (.config/webpack/webpack.config.ts, managed by the tool).
import type { Configuration, EntryObject } from 'webpack';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import { merge } from 'webpack-merge';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config.ts';

const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  const merged = merge(baseConfig, {
    // The parse worker (src/worker) loads its chunks relative to its own URL: keep it in one file rather
    // than sharing split vendor chunks, whose public path would not resolve inside the worker.
    optimization: { splitChunks: false },
    // Externals stay AMD modules that Grafana provides.
    externalsType: 'amd',
    // The dashboards plugin.json `includes` (users import them from the data source page): the same
    // files provisioning/dashboards loads in the demo, one copy in the repository.
    plugins: [
      new CopyWebpackPlugin({
        patterns: [{ from: '../provisioning/dashboards/*.json', to: 'dashboards/[name][ext]' }],
      }),
    ],
  });
  // The AMD wrapper Grafana loads plugins with belongs to module.js only: a worker has no `define`, so
  // the library is set per entry instead of for every output (the worker's entry gets none).
  const library = merged.output?.library;
  if (library && merged.entry && typeof merged.entry === 'object' && !Array.isArray(merged.entry)) {
    const entries = merged.entry as EntryObject;
    merged.entry = Object.fromEntries(
      Object.entries(entries).map(([name, value]) => [
        name,
        typeof value === 'string' || Array.isArray(value) ? { import: value, library } : { ...value, library },
      ])
    );
    delete merged.output!.library;
  }
  return merged;
};

export default config;
