import { Observable, isObservable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { DomainEvent } from '../../core/events.js';
import type { Logger } from '../../core/logger.js';
import { flatScan } from '../../core/operators.js';
import type { ChatMachine, MachineEffects } from './machine.js';
import type { TwilioInput } from './types.js';

/** An input of the connection flow: `live` events come from SDK listeners, the others from the snapshot reads. */
export interface Tagged {
  readonly live: boolean;
  readonly input: TwilioInput;
}

/**
 * Holds live events until the snapshot (members, history) has been read, then lets them through after it. Listening
 * starts before the reads, so nothing is missed, and the order stays "what was there" then "what happened since".
 * A `resync` input (the connection came back and history is read again) holds live events once more, until the
 * `loaded` that ends that read; reads that overlap hold until the last one has ended.
 *
 * @example
 * merge(live$, snapshot$).pipe(holdUntilLoaded()) // snapshot inputs, `loaded`, then the held live inputs
 */
export function holdUntilLoaded(): OperatorFunction<Tagged, TwilioInput> {
  return flatScan<Tagged, TwilioInput>(() => {
    let reading = 1;
    let held: TwilioInput[] = [];
    return ({ live, input }, emit) => {
      if (live && reading > 0) {
        held.push(input);
        return;
      }
      if (input.kind === 'resync') reading += 1;
      emit(input);
      if (input.kind === 'loaded' && reading > 0) {
        reading -= 1;
        if (reading > 0) return;
        const release = held;
        held = [];
        release.forEach(emit);
      }
    };
  });
}

/**
 * Runs a {@link ChatMachine} over its inputs: feeds each input to the machine, emits its events in order (an
 * asynchronous step such as a profile lookup holds back the events after it, and costs nothing when there is none),
 * and runs the grace timer on the scheduler. An input the machine cannot read is logged and skipped. Unsubscribing
 * cancels the pending step and the timer.
 *
 * @example
 * inputs$.pipe(drive(machine, scheduler, logger)) // DomainEvents
 */
export function drive(machine: ChatMachine, scheduler: SchedulerLike, logger: Logger): OperatorFunction<TwilioInput, DomainEvent> {
  return (source) =>
    new Observable<DomainEvent>((subscriber) => {
      const queue: (DomainEvent | Observable<DomainEvent>)[] = [];
      let busy = false;
      let pumping = false;
      let sourceDone = false;
      let inner: Subscription | undefined;
      let grace: Subscription | undefined;

      const finishIfDone = () => {
        if (sourceDone && !busy && queue.length === 0) subscriber.complete();
      };
      const pump = () => {
        if (pumping) return;
        pumping = true;
        while (!busy && queue.length > 0) {
          const item = queue.shift()!;
          if (!isObservable(item)) {
            subscriber.next(item);
            continue;
          }
          busy = true;
          const done = () => {
            busy = false;
            inner = undefined;
            pump();
          };
          inner = item.subscribe({
            next: (event) => subscriber.next(event),
            error: (error: unknown) => {
              logger.warn('a Twilio step failed and was skipped', { error });
              done();
            },
            complete: done,
          });
        }
        pumping = false;
        finishIfDone();
      };
      const step = (input: TwilioInput) => {
        try {
          machine.step(input, effects);
        } catch (error) {
          logger.warn('skipped a Twilio event the adapter could not read', { kind: input.kind, error });
        }
      };
      const effects: MachineEffects = {
        emit: (event) => {
          queue.push(event);
          pump();
        },
        later: (work) => {
          queue.push(work);
          pump();
        },
        arm: (delayMs) => {
          grace?.unsubscribe();
          grace = scheduler.schedule(() => {
            grace = undefined;
            step({ kind: 'graceExpired' });
          }, delayMs);
        },
        disarm: () => {
          grace?.unsubscribe();
          grace = undefined;
        },
      };

      machine.attach(effects);
      const subscription = source.subscribe({
        next: step,
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          finishIfDone();
        },
      });
      return () => {
        subscription.unsubscribe();
        inner?.unsubscribe();
        grace?.unsubscribe();
        queue.length = 0;
      };
    });
}
