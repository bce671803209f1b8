/**
 * docs/host-contract.md has a row for every member of both hosts' ServiceDesk and ServiceDeskCallback. The member
 * lists below are checked by the compiler against the hosts' own types (Carbon AI Chat 1.9.1's .d.ts, the watsonx
 * web chat 7.x fixture): a member added or removed by a host upgrade stops this file compiling until the list (and the
 * table) follow.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceDesk, ServiceDeskCallback } from '@carbon/ai-chat';
import type { ServiceDesk as OurDesk } from '../../lib/host/types';
import type { WatsonxServiceDesk, WatsonxServiceDeskCallback } from './fixtures/watsonx-web-chat';

type Every<T> = { readonly [K in keyof Required<T>]: true };

const carbonDesk: Every<ServiceDesk> = {
  getName: true, startChat: true, endChat: true, sendMessageToAgent: true, userTyping: true, userReadMessages: true,
  areAnyAgentsOnline: true, filesSelectedForUpload: true, screenShareStop: true, reconnect: true,
};
const watsonxDesk: Every<WatsonxServiceDesk> = {
  getName: true, startChat: true, endChat: true, sendMessageToAgent: true, updateState: true, userTyping: true,
  areAnyAgentsOnline: true, filesSelectedForUpload: true,
};
const carbonCallback: Every<ServiceDeskCallback> = {
  updateCapabilities: true, updateAgentAvailability: true, agentJoined: true, agentReadMessages: true, agentTyping: true,
  sendMessageToUser: true, beginTransferToAnotherAgent: true, agentLeftChat: true, agentEndedChat: true, setErrorStatus: true,
  setFileUploadStatus: true, screenShareRequest: true, screenShareEnded: true, persistedState: true, updatePersistedState: true,
};
const watsonxCallback: Every<WatsonxServiceDeskCallback> = {
  updateCapabilities: true, updateAgentAvailability: true, agentJoined: true, agentReadMessages: true, agentTyping: true,
  sendMessageToUser: true, beginTransferToAnotherAgent: true, agentLeftChat: true, agentEndedChat: true, setErrorStatus: true,
  setFileUploadStatus: true,
};
/** Our desk implements every desk member of both hosts (checked by the compiler too). */
const ours: Every<OurDesk> = { ...carbonDesk, ...watsonxDesk };

/** The rows of the table under the given heading: member name -> the "where we implement it" cell. */
function rows(heading: string): Map<string, string> {
  const doc = readFileSync(join(__dirname, '../../docs/host-contract.md'), 'utf8');
  const section = doc.split(/^## /m).find((part) => part.startsWith(heading)) ?? '';
  const table = new Map<string, string>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const name = /^`(\w+)`$/.exec(cells[1] ?? '')?.[1];
    if (name) table.set(name, cells[4] ?? '');
  }
  return table;
}

describe('docs/host-contract.md lists every host member and where we implement it', () => {
  it.each([
    ['The desk: what the host calls', [...Object.keys(carbonDesk), ...Object.keys(watsonxDesk)]],
    ['The callback: what the desk calls', [...Object.keys(carbonCallback), ...Object.keys(watsonxCallback)]],
  ])('%s', (heading, members) => {
    const table = rows(heading);
    const missing = [...new Set(members)].filter((member) => !(table.get(member) ?? '').length);
    expect(missing).toEqual([]);
    expect([...table.keys()].filter((member) => !members.includes(member))).toEqual([]);
  });

  it('our desk type has every desk member of both hosts', () => {
    expect(Object.keys(ours).sort()).toEqual([...new Set([...Object.keys(carbonDesk), ...Object.keys(watsonxDesk)])].sort());
  });
});
