import { badRequest, HttpError } from './errors.js';
import type { Identity } from './identity.js';
import type { UpstreamContext } from './upstream.js';
import { optionalDisplayName, readObject } from './validate.js';

/** Amazon Connect chat settings. AWS credentials come from the AWS SDK's default chain (environment, role), never from here. */
export interface AmazonConnectConfig {
  /** e.g. `us-east-1`. */
  readonly region: string;
  /** The Connect instance id (the UUID at the end of the instance ARN). */
  readonly instanceId: string;
  /** The contact flow that routes the chat (its id, from the flow's ARN). */
  readonly contactFlowId: string;
  /** Contact attribute names the browser may set (e.g. routing hints). Default none. */
  readonly attributes?: readonly string[];
  /** The contact attribute that carries the caller's identity id. Default `customerId`. */
  readonly identityAttribute?: string;
  /** `ChatDurationInMinutes` (60-10080). Default Connect's (25 hours). */
  readonly chatDurationMinutes?: number;
  /** The Connect API endpoint, for VPC endpoints or a local simulator. Default the regional AWS endpoint. */
  readonly endpoint?: string;
}

/** What `POST /amazon-connect/chat` answers: the ids and participant token `amazon-connect-chatjs` needs, nothing else. */
export interface AmazonConnectChatAnswer {
  readonly contactId: string;
  readonly participantId: string;
  readonly participantToken: string;
}

const ID = /^[A-Za-z0-9-]{1,256}$/;
const ATTRIBUTE = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * Lists what is wrong with an {@link AmazonConnectConfig}, for `validateServerConfig`.
 *
 * @example
 * validateAmazonConnectConfig({ region: 'us-east-1', instanceId: '', contactFlowId: 'f' }); // ['amazonConnect.instanceId …']
 */
export function validateAmazonConnectConfig(config: AmazonConnectConfig): string[] {
  const problems: string[] = [];
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(config.region)) problems.push('amazonConnect.region must be an AWS region such as us-east-1.');
  if (!ID.test(config.instanceId)) problems.push('amazonConnect.instanceId must be the instance id (letters, digits, dashes).');
  if (!ID.test(config.contactFlowId)) problems.push('amazonConnect.contactFlowId must be the contact flow id (letters, digits, dashes).');
  for (const name of [...(config.attributes ?? []), config.identityAttribute ?? 'customerId']) {
    if (!ATTRIBUTE.test(name)) problems.push(`amazonConnect attribute name ${JSON.stringify(name.slice(0, 40))} must be 1-128 letters, digits, _ . -.`);
  }
  const minutes = config.chatDurationMinutes;
  if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < 60 || minutes > 10_080)) problems.push('amazonConnect.chatDurationMinutes must be a whole number from 60 to 10080.');
  if (config.endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(config.endpoint)) problems.push('amazonConnect.endpoint must be an http(s) URL.');
  return problems;
}

/**
 * Reads the Amazon Connect settings from `AMAZON_CONNECT_*` variables (region falls back to `AWS_REGION`), or
 * `undefined` when `AMAZON_CONNECT_INSTANCE_ID` is not set. AWS credentials stay with the AWS SDK's own chain.
 *
 * @example
 * amazonConnectFromEnv((name) => process.env[name]);
 */
export function amazonConnectFromEnv(text: (name: string) => string | undefined): AmazonConnectConfig | undefined {
  const instanceId = text('AMAZON_CONNECT_INSTANCE_ID');
  if (instanceId === undefined) return undefined;
  const minutes = text('AMAZON_CONNECT_CHAT_DURATION_MINUTES');
  const endpoint = text('AMAZON_CONNECT_ENDPOINT');
  const identityAttribute = text('AMAZON_CONNECT_IDENTITY_ATTRIBUTE');
  return {
    region: text('AMAZON_CONNECT_REGION') ?? text('AWS_REGION') ?? '',
    instanceId,
    contactFlowId: text('AMAZON_CONNECT_CONTACT_FLOW_ID') ?? '',
    attributes: (text('AMAZON_CONNECT_ATTRIBUTES') ?? '').split(',').map((name) => name.trim()).filter((name) => name !== ''),
    ...(identityAttribute === undefined ? {} : { identityAttribute }),
    ...(minutes === undefined ? {} : { chatDurationMinutes: Number(minutes) }),
    ...(endpoint === undefined ? {} : { endpoint }),
  };
}

function readAttributes(value: unknown, allowed: readonly string[]): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw badRequest('"attributes" must be a JSON object of strings.');
  const entries = Object.entries(value);
  const unknown = entries.filter(([key]) => !allowed.includes(key)).map(([key]) => JSON.stringify(key.slice(0, 40)));
  if (unknown.length > 0) throw badRequest(`Attribute(s) not allowed on this server: ${unknown.slice(0, 5).join(', ')}.`);
  for (const [key, text] of entries) if (typeof text !== 'string' || text.length > 1024) throw badRequest(`Attribute "${key}" must be text of at most 1024 characters.`);
  return value as Record<string, string>;
}

interface ConnectClient {
  send(command: unknown, options: { abortSignal: AbortSignal }): Promise<{ ContactId?: string; ParticipantId?: string; ParticipantToken?: string }>;
}

/**
 * The Amazon Connect endpoint: starts a chat with `StartChatContact` (AWS SDK `@aws-sdk/client-connect`, loaded on
 * first use so the rest of the server entry works without it) and answers only the participant token and ids. One
 * attempt per request (`maxAttempts: 1`): throttling is answered at once as 503 with `Retry-After`, inside
 * `upstreamTimeoutMs`, and the browser decides when to try again.
 *
 * @example
 * const connect = amazonConnectService({ config: { region: 'us-east-1', instanceId, contactFlowId }, upstream });
 * await connect.startChat({ id: 'user-42', name: 'Ada' }, { initialMessage: 'Refund for order 7' });
 */
export function amazonConnectService(options: { readonly config: AmazonConnectConfig; readonly upstream: UpstreamContext }) {
  const { config, upstream } = options;
  let loading: Promise<{ client: ConnectClient; command: (input: object) => unknown }> | undefined;
  const sdk = () => {
    loading ??= import('@aws-sdk/client-connect').then(({ ConnectClient, StartChatContactCommand }) => ({
      client: new ConnectClient({ region: config.region, maxAttempts: 1, ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }) }) as unknown as ConnectClient,
      command: (input: object) => new StartChatContactCommand(input as ConstructorParameters<typeof StartChatContactCommand>[0]),
    }));
    return loading;
  };
  return {
    async startChat(identity: Identity, body: unknown): Promise<AmazonConnectChatAnswer> {
      const input = readObject(body ?? {}, ['displayName', 'initialMessage', 'attributes']);
      const displayName = identity.name ?? optionalDisplayName(input.displayName, 'displayName') ?? 'Customer';
      const message = input.initialMessage;
      if (message !== undefined && (typeof message !== 'string' || message.length < 1 || message.length > 1024)) {
        throw badRequest('"initialMessage" must be text of 1 to 1024 characters.');
      }
      const attributes = { ...readAttributes(input.attributes, config.attributes ?? []), [config.identityAttribute ?? 'customerId']: identity.id };
      const { client, command } = await sdk().catch(() => {
        throw new HttpError(500, 'INTERNAL', 'Amazon Connect needs the @aws-sdk/client-connect package on the server.');
      });
      let answer: Awaited<ReturnType<ConnectClient['send']>>;
      try {
        answer = await client.send(
          command({
            InstanceId: config.instanceId,
            ContactFlowId: config.contactFlowId,
            ParticipantDetails: { DisplayName: displayName },
            Attributes: attributes,
            SupportedMessagingContentTypes: ['text/plain', 'text/markdown'],
            ...(typeof message === 'string' ? { InitialMessage: { ContentType: 'text/plain', Content: message } } : {}),
            ...(config.chatDurationMinutes === undefined ? {} : { ChatDurationInMinutes: config.chatDurationMinutes }),
          }),
          { abortSignal: AbortSignal.timeout(upstream.timeoutMs) },
        );
      } catch (error) {
        const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
        upstream.logger.warn('Amazon Connect StartChatContact failed', { name, status: $metadata?.httpStatusCode });
        if (name === 'TimeoutError' || name === 'AbortError') throw new HttpError(504, 'UPSTREAM_TIMEOUT', 'Amazon Connect did not answer in time. Try again.');
        if (name === 'ThrottlingException' || name === 'LimitExceededException') throw new HttpError(503, 'UPSTREAM_BUSY', 'Amazon Connect is busy. Try again shortly.', { 'Retry-After': '5' });
        throw new HttpError(502, 'UPSTREAM_ERROR', `Amazon Connect answered with an error (${name ?? 'unknown'}).`);
      }
      const { ContactId, ParticipantId, ParticipantToken } = answer;
      if (!ContactId || !ParticipantId || !ParticipantToken) throw new HttpError(502, 'UPSTREAM_ERROR', 'Amazon Connect answered with something unexpected.');
      return { contactId: ContactId, participantId: ParticipantId, participantToken: ParticipantToken };
    },
  };
}
