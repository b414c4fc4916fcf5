// Extends create-plugin's webpack configuration (.config/webpack/webpack.config.ts, managed by the tool).
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config.ts';

const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  return merge(baseConfig, {
    // The parse worker (src/worker) loads its chunks relative to its own URL: keep it in one file rather
    // than sharing split vendor chunks, whose public path would not resolve inside the worker.
    optimization: { splitChunks: false },
  });
};

export default config;
