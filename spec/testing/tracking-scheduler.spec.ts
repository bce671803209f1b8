import { marbles } from 'rxjs-marbles/jest';
import { interval, timer } from 'rxjs';
import { trackingScheduler } from '../../lib/testing';

describe('trackingScheduler', () => {
  it('counts one-shot timers until they run or are cancelled, and intervals until unsubscribed', marbles((m) => {
    const timers = trackingScheduler(m.scheduler);
    const counts: number[] = [];
    timer(10, timers.scheduler).subscribe();
    const cancelled = timer(50, timers.scheduler).subscribe();
    const ticking = interval(5, timers.scheduler).subscribe();
    counts.push(timers.live);
    m.scheduler.schedule(() => counts.push(timers.live), 20);
    m.scheduler.schedule(() => cancelled.unsubscribe(), 21);
    m.scheduler.schedule(() => counts.push(timers.live), 22);
    m.scheduler.schedule(() => ticking.unsubscribe(), 30);
    m.scheduler.schedule(() => counts.push(timers.live), 31);
    m.flush();
    expect(counts).toEqual([3, 2, 1, 0]);
  }));
});
