/**
 * Type-level proof that a desk built by this library fits the real Carbon AI Chat types (and the watsonx web chat
 * interface). The assignments below fail to compile if the types drift; ts-jest type-checks this file.
 */
import type { PublicConfig, ServiceDesk as CarbonServiceDesk, ServiceDeskCallback as CarbonCallback, ServiceDeskFactoryParameters as CarbonFactoryParameters } from '@carbon/ai-chat';
import { createServiceDesk, serviceDeskFactory } from '../../lib/core/desk';
import type { HostCallback } from '../../lib/host/types';
import { ev, recordingCallback, scriptedAdapter } from '../../lib/testing';
import { of } from 'rxjs';

const adapter = () => scriptedAdapter({ events: () => of(ev.connected()) });

describe('Carbon AI Chat compatibility', () => {
  it('a desk is a Carbon ServiceDesk and the factory fits PublicConfig.serviceDeskFactory', () => {
    const factory: PublicConfig['serviceDeskFactory'] = serviceDeskFactory(adapter);
    const inline: PublicConfig['serviceDeskFactory'] = async (parameters: CarbonFactoryParameters) => {
      const desk: CarbonServiceDesk = createServiceDesk(adapter(), parameters);
      return desk;
    };
    const callback: HostCallback = {} as CarbonCallback;
    expect([typeof factory, typeof inline, typeof callback]).toEqual(['function', 'function', 'object']);
  });

  it('Carbon calls getName at run time and it is at most 40 characters', () => {
    const desk: CarbonServiceDesk = createServiceDesk(adapter(), { callback: recordingCallback().callback });
    expect(desk.getName?.()).toBe('scripted desk');
    expect(() => createServiceDesk(scriptedAdapter({ name: 'x'.repeat(41), events: () => of() }), { callback: recordingCallback().callback })).toThrow(/1 to 40/);
  });
});
