/**
 * rx-service-desk/lazy: a desk that loads the session and the vendor adapter with `import()` when the user asks for
 * an agent, so that a page downloads a small shell until then.
 */
export { lazyServiceDeskFactory } from '../core/lazy-desk.js';
export type { LazyServiceDeskOptions } from '../core/lazy-desk.js';
