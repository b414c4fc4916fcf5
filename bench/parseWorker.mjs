// Loads bench/parseWorker.ts in a worker thread through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./parseWorker.ts');
