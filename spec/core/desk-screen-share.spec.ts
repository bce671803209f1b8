/**
 * Screen sharing (issue 12 item 3): an agent's request reaches the host's modal without holding the chat, the user's
 * answer reaches the adapter, a host that never answers is bounded by screenShareTimeoutMs (virtual time), and the
 * user can stop sharing (screenShareStop).
 */
import { NEVER, Subject, concat, of } from 'rxjs';
import { createAdapter } from '../../lib/core/engine/engine';
import type { AdapterEvent, AdapterPort } from '../../lib/core/engine/port';
import type { SessionRequest } from '../../lib/core/adapter';
import type { DomainEvent, ScreenShareAnswer } from '../../lib/core/events';
import { ev, hostLog, scriptedAdapter, type RecordingCallbackOptions } from '../../lib/testing';
import { connectMessage, deskOn, liveTimers, virtualTime } from '../support/virtual';

const ann = { id: 'a1', nickname: 'Ann' };

function sharing(host: RecordingCallbackOptions, options: { screenShareTimeoutMs?: number } = {}) {
  const { scheduler, at, flush } = virtualTime();
  const vendor = new Subject<DomainEvent>();
  const answers: [number, ScreenShareAnswer][] = [];
  const adapter = scriptedAdapter({
    events: (request: SessionRequest) => {
      request.screenShare$?.subscribe((answer) => answers.push([scheduler.now(), answer]));
      return concat(of(ev.connected(), ev.joined(ann)), vendor);
    },
  });
  const { desk, host: recorder } = deskOn(adapter, scheduler, options, host);
  void desk.startChat(connectMessage());
  return { scheduler, at, flush, vendor, answers, desk, host: recorder };
}

describe('screen sharing', () => {
  it('the request opens the host modal without holding the chat; the user accepts after 3 s; the adapter hears it', () => {
    const s = sharing({ screenShare: { answer: 'accepted', afterMs: 3_000 } });
    s.at(10, () => s.vendor.next({ type: 'screenShareRequested' }));
    s.at(20, () => s.vendor.next(ev.message('m1', 'while you decide')));
    s.flush();
    expect(hostLog(s.host)).toEqual(['agentJoined(Ann)', 'screenShareRequest', 'sendMessageToUser(while you decide)']);
    expect(s.answers).toEqual([[3_010, 'accepted']]);
  });

  it('declined reaches the adapter as declined; Carbon\'s "ended" answer as cancelled', () => {
    const declined = sharing({ screenShare: { answer: 'declined' } });
    declined.at(10, () => declined.vendor.next({ type: 'screenShareRequested' }));
    declined.flush();
    expect(declined.answers).toEqual([[10, 'declined']]);
    const ended = sharing({ screenShare: { answer: 'ended' } });
    ended.at(10, () => ended.vendor.next({ type: 'screenShareRequested' }));
    ended.flush();
    expect(ended.answers).toEqual([[10, 'cancelled']]);
  });

  it('a host that never answers: timedOut after screenShareTimeoutMs, and the host request is closed', () => {
    const s = sharing({ screenShare: 'never' }, { screenShareTimeoutMs: 30_000 });
    s.at(10, () => s.vendor.next({ type: 'screenShareRequested' }));
    s.flush();
    expect(s.answers).toEqual([[30_010, 'timedOut']]);
    expect(hostLog(s.host)).toEqual(['agentJoined(Ann)', 'screenShareRequest', 'screenShareEnded']);
  });

  it('a host without screen sharing: unsupported at once', () => {
    const s = sharing({});
    s.at(10, () => s.vendor.next({ type: 'screenShareRequested' }));
    s.flush();
    expect(s.answers).toEqual([[10, 'unsupported']]);
    expect(liveTimers(s.scheduler)).toBe(0);
  });

  it('the agent ends the share: screenShareEnded; the user stops it: the adapter hears stopped', async () => {
    const s = sharing({ screenShare: { answer: 'accepted' } });
    s.at(10, () => s.vendor.next({ type: 'screenShareRequested' }));
    s.at(20, () => void s.desk.screenShareStop());
    s.at(30, () => s.vendor.next({ type: 'screenShareEnded' }));
    s.flush();
    expect(s.answers).toEqual([[10, 'accepted'], [20, 'stopped']]);
    expect(hostLog(s.host)).toEqual(['agentJoined(Ann)', 'screenShareRequest', 'screenShareEnded']);
  });

  it('the chat ends while a request is open: its deadline is cancelled, nothing is left running', async () => {
    const s = sharing({ screenShare: 'never' });
    s.at(10, () => s.vendor.next({ type: 'screenShareRequested' }));
    s.at(20, () => void s.desk.endChat());
    s.flush();
    expect(s.answers).toEqual([]);
    expect(liveTimers(s.scheduler)).toBe(0);
  });
});

describe('screen sharing through a port on the engine', () => {
  it('the port\'s request reaches the host and the answer reaches the port (PortRequest.screenShare$)', () => {
    const { scheduler, flush } = virtualTime();
    const answers: ScreenShareAnswer[] = [];
    const events: AdapterEvent[] = [{ type: 'connected' }, { type: 'agentJoined', agent: { id: 'a1', nickname: 'Ann' } }, { type: 'screenShareRequested' }];
    const port: AdapterPort<unknown> = {
      name: 'cobrowse',
      open: (request) => {
        request.screenShare$?.subscribe((answer) => answers.push(answer));
        return { connect: () => concat(of(...events), NEVER), sendMessage: () => of(undefined) };
      },
    };
    const { desk, host } = deskOn(createAdapter(port, {}), scheduler, {}, { screenShare: { answer: 'accepted' } });
    void desk.startChat(connectMessage());
    flush();
    expect(hostLog(host)).toEqual(['agentJoined(Ann)', 'screenShareRequest']);
    expect(answers).toEqual(['accepted']);
  });
});
