/** Type-level proof that a desk built by this library fits the watsonx Assistant web chat 7.x interface. */
import { of } from 'rxjs';
import { createServiceDesk, serviceDeskFactory } from '../../lib/core/desk';
import { detectHost } from '../../lib/host/dialect';
import type { HostCallback } from '../../lib/host/types';
import { ev, recordingCallback, scriptedAdapter } from '../../lib/testing';
import type { WatsonxServiceDesk, WatsonxServiceDeskCallback, WatsonxWebChatOptions } from './fixtures/watsonx-web-chat';

const adapter = () => scriptedAdapter({ events: () => of(ev.connected()) });

describe('watsonx web chat compatibility', () => {
  it('a desk is a watsonx ServiceDesk and the factory fits the web chat options', () => {
    const options: WatsonxWebChatOptions = { serviceDeskFactory: serviceDeskFactory(adapter) };
    const callback: HostCallback = {} as WatsonxServiceDeskCallback;
    const desk: WatsonxServiceDesk = createServiceDesk(adapter(), { callback: recordingCallback({ host: 'watsonx' }).callback });
    expect([typeof options.serviceDeskFactory, typeof callback, desk.getName()]).toEqual(['function', 'object', 'scripted desk']);
  });

  it('a watsonx callback (no persisted state) is detected as watsonx', () => {
    expect(detectHost(recordingCallback({ host: 'watsonx' }).callback)).toBe('watsonx');
    expect(detectHost(recordingCallback({ host: 'carbon' }).callback)).toBe('carbon');
  });
});
