import { asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';

/** A scheduler that counts its pending actions. */
export interface TrackingScheduler {
  readonly scheduler: SchedulerLike;
  /** Actions scheduled and neither run (for one-shot actions) nor cancelled: 0 means no timer is left. */
  readonly live: number;
}

/**
 * Wraps a scheduler (default `asyncScheduler`) to count live timers, so that a test can prove that a chat left no
 * timer behind. A periodic action (an interval) stays live while it reschedules itself.
 *
 * @example
 * const timers = trackingScheduler();
 * const desk = createServiceDesk(adapter, { callback }, { scheduler: timers.scheduler });
 * // ... after endChat
 * expect(timers.live).toBe(0);
 */
export function trackingScheduler(inner: SchedulerLike = asyncScheduler): TrackingScheduler {
  let live = 0;
  const scheduler: SchedulerLike = {
    now: () => inner.now(),
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
      let alive = true;
      live += 1;
      const done = () => {
        if (!alive) return;
        alive = false;
        live -= 1;
      };
      const action = inner.schedule<T>(
        function (this: SchedulerAction<T>, current?: T) {
          let again = false;
          const self = this;
          const proxy = Object.create(self) as SchedulerAction<T>;
          proxy.schedule = (next?: T, nextDelay?: number) => {
            again = true;
            return self.schedule(next, nextDelay);
          };
          work.call(proxy, current);
          if (!again) done();
        },
        delay,
        state,
      );
      action.add(done);
      return action;
    },
  };
  return {
    scheduler,
    get live() {
      return live;
    },
  };
}
