import { genesysWebMessaging } from '../../../lib/adapters/genesys';
import { ServiceDeskError } from '../../../lib/core/errors';
import { silentLogger } from '../../../lib/core/logger';
import { asyncScheduler } from 'rxjs';

describe('genesysWebMessaging', () => {
  it('fails fast on missing configuration, saying what to pass', () => {
    expect(() => genesysWebMessaging({ deploymentId: '', domain: 'mypurecloud.com' })).toThrow(/deploymentId/);
    expect(() => genesysWebMessaging({ deploymentId: 'd' })).toThrow(ServiceDeskError);
    expect(() => genesysWebMessaging({ deploymentId: 'd', webSocketUrl: 'ws://x/v1' })).toThrow(/domain/);
  });

  it('describes itself to the core: resumable, typing repeated every 5 s or typingIntervalMs, uploads allowed', () => {
    expect(genesysWebMessaging({ deploymentId: 'd', domain: 'x' }).typingHeartbeatMs).toBe(5_000);
    const adapter = genesysWebMessaging({ deploymentId: 'd', domain: 'mypurecloud.ie', typingIntervalMs: 4_000 });
    expect(adapter).toMatchObject({
      name: 'Genesys Cloud Web Messaging',
      canResume: true,
      typingHeartbeatMs: 4_000,
      capabilities: { allowFileUploads: true, allowMultipleFileUploads: true, allowedFileUploadTypes: '' },
    });
    expect(adapter.checkAvailability).toBeUndefined();
  });

  it('answers availability from the middleware figures', async () => {
    const request = { logger: silentLogger };
    const figures = genesysWebMessaging({ deploymentId: 'd', domain: 'x', checkAvailability: async () => ({ online: false, agentsOnQueue: 0, waiting: 4 }) });
    const online = genesysWebMessaging({ deploymentId: 'd', domain: 'x', checkAvailability: async () => ({ online: true }) });
    const unknown = genesysWebMessaging({ deploymentId: 'd', domain: 'x', checkAvailability: async () => null });
    await expect(figures.checkAvailability?.(request)).resolves.toBe(false);
    await expect(online.checkAvailability?.(request)).resolves.toBe(true);
    await expect(unknown.checkAvailability?.(request)).resolves.toBeNull();
  });

  it('says the new name of each option renamed onto the common adapter options', () => {
    const renamed: [string, unknown, RegExp][] = [
      ['getQueueStatus', async () => null, /getQueueStatus is now checkAvailability/],
      ['fileUploads', false, /fileUploads is now capabilities/],
      ['typingCooldownMs', 5_000, /typingCooldownMs is now typingIntervalMs/],
      ['lookupTimeoutMs', 3_000, /lookupTimeoutMs is now profileTimeoutMs/],
      ['endAction', 'clear', /endAction 'clear' is now 'leave'/],
    ];
    for (const [name, value, message] of renamed) {
      expect(() => genesysWebMessaging({ deploymentId: 'd', domain: 'x', [name]: value } as never)).toThrow(message);
    }
  });

  it('refuses resume state of another deployment (reconnect then answers false)', () => {
    const adapter = genesysWebMessaging({ deploymentId: 'd', domain: 'x', randomId: () => 't' });
    const request = { summary: [], hostState: () => ({}), logger: silentLogger, scheduler: asyncScheduler };
    expect(() => adapter.open({ ...request, resume: { v: 1, session: { deploymentId: 'other', token: 't' } } })).toThrow(ServiceDeskError);
    expect(adapter.acceptsResume?.({ v: 1, session: { deploymentId: 'other', token: 't' } })).toBe(false);
    expect(adapter.acceptsResume?.({ v: 1, session: { deploymentId: 'd', token: 't' } })).toBe(true);
    expect(adapter.open(request)).toBeDefined();
  });
});
