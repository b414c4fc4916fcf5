// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// jsdom has no canvas: Grafana UI's Combobox measures text with one. A fixed-width font is enough here.
HTMLCanvasElement.prototype.getContext = function getContext() {
  return {
    font: '',
    measureText: (text) => ({
      width: String(text).length * 8,
      actualBoundingBoxAscent: 8,
      actualBoundingBoxDescent: 2,
    }),
  };
};

// jsdom lacks the observers Grafana UI's floating menus use; nothing needs to fire in tests.
class NoopObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
global.IntersectionObserver ??= NoopObserver;
global.ResizeObserver ??= NoopObserver;

// jsdom lays nothing out, so virtualised option lists (Combobox) would render no options:
// give elements a size.
for (const prop of ['offsetWidth', 'offsetHeight', 'clientWidth', 'clientHeight']) {
  Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => 400 });
}
Object.defineProperty(Element.prototype, 'getBoundingClientRect', {
  configurable: true,
  value: () => ({ width: 400, height: 400, top: 0, left: 0, bottom: 400, right: 400, x: 0, y: 0, toJSON: () => ({}) }),
});
