import type { ServiceDeskAdapter } from '../../core/adapter.js';
import type { AdapterPort } from '../../core/engine/port.js';
import { SimulatedDeskEngine } from '../../simulator/engine.js';
import type { SimulatorTransport } from '../../simulator/protocol.js';
import { deskAdapter, deskPort, type SimulatedDeskOptions, type SimulatedResumeState } from './adapter.js';

/**
 * Connects to a {@link SimulatedDeskEngine} in the same process: frames are delivered on the engine's scheduler.
 *
 * @example
 * const engine = new SimulatedDeskEngine();
 * const adapter = simulatedDesk({ transport: engineTransport(engine) });
 */
export function engineTransport(engine: SimulatedDeskEngine): SimulatorTransport {
  return { open: (handlers) => engine.connect(handlers) };
}

/**
 * The simulated desk as a vendor port (see `createAdapter`), over `options.transport`, or by default over an
 * in-memory desk of its own, made on the first session's scheduler.
 *
 * @example
 * const adapter = createAdapter(simulatedDeskPort({ transport: engineTransport(new SimulatedDeskEngine()) }));
 */
export function simulatedDeskPort(options: Pick<SimulatedDeskOptions, 'transport' | 'engine' | 'name'> = {}): AdapterPort<SimulatedResumeState> {
  let transport = options.transport;
  return deskPort((scheduler) => (transport ??= engineTransport(new SimulatedDeskEngine({ scheduler, ...options.engine }))), options.name);
}

/**
 * The simulated desk as a vendor adapter: the embedded default of the demo and the tests. With no options it runs
 * its own in-memory desk, so a chat works with no vendor account. Resumes after a page reload. Over a transport of
 * your own only, `simulatedDeskOver` keeps the in-memory desk out of the bundle.
 *
 * @example
 * import { serviceDeskFactory } from 'rx-service-desk';
 * import { simulatedDesk } from 'rx-service-desk/simulator';
 *
 * const config = { serviceDeskFactory: serviceDeskFactory(() => simulatedDesk()) };
 */
export function simulatedDesk(options: SimulatedDeskOptions = {}): ServiceDeskAdapter {
  return deskAdapter(simulatedDeskPort(options), options);
}
