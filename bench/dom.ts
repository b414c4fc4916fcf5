/**
 * A DOM for the bench, as Grafana's browser gives one: @grafana/data's runtime entry touches `window`,
 * and the query path reaches it. Import this module first (imports run in order).
 */
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
Object.assign(globalThis, { window: dom.window, document: dom.window.document, navigator: dom.window.navigator });
