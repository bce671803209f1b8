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

  it('describes itself to the core: resumable, typing repeated every cooldown, uploads allowed', () => {
    const adapter = genesysWebMessaging({ deploymentId: 'd', domain: 'mypurecloud.ie', typingCooldownMs: 4_000 });
    expect(adapter).toMatchObject({
      name: 'Genesys Cloud Web Messaging',
      canResume: true,
      typingHeartbeatMs: 4_000,
      capabilities: { allowFileUploads: true, allowMultipleFileUploads: true, allowedFileUploadTypes: '' },
    });
    expect(adapter.checkAvailability).toBeUndefined();
  });

  it('answers availability from the middleware figures or a plain boolean', async () => {
    const request = { logger: silentLogger };
    const figures = genesysWebMessaging({ deploymentId: 'd', domain: 'x', checkAvailability: async () => ({ online: false, agentsOnQueue: 0, waiting: 4 }) });
    const plain = genesysWebMessaging({ deploymentId: 'd', domain: 'x', checkAvailability: async () => true });
    const unknown = genesysWebMessaging({ deploymentId: 'd', domain: 'x', checkAvailability: async () => null });
    await expect(figures.checkAvailability?.(request)).resolves.toBe(false);
    await expect(plain.checkAvailability?.(request)).resolves.toBe(true);
    await expect(unknown.checkAvailability?.(request)).resolves.toBeNull();
  });

  it('refuses resume state of another deployment (reconnect then answers false)', () => {
    const adapter = genesysWebMessaging({ deploymentId: 'd', domain: 'x', randomId: () => 't' });
    const request = { summary: [], hostState: () => ({}), logger: silentLogger, scheduler: asyncScheduler };
    expect(() => adapter.open({ ...request, resume: { v: 1, deploymentId: 'other', token: 't' } })).toThrow(ServiceDeskError);
    expect(adapter.open(request)).toBeDefined();
  });
});
