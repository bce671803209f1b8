import type { AmazonConnectAvailability, AmazonConnectChat } from '../core/middleware-contract.js';
import { badRequest, HttpError } from './errors.js';
import type { Identity } from './identity.js';
import type { UpstreamContext } from './upstream.js';
import { optionalDisplayName, readObject, readQuery } from './validate.js';

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
  /** The queue `GET /amazon-connect/availability` reports on (`GetCurrentMetricData`). Without it that endpoint is a 404. */
  readonly queueId?: string;
}

const ID = /^[A-Za-z0-9-]{1,256}$/;
const METRICS = ['AGENTS_ONLINE', 'AGENTS_AVAILABLE', 'CONTACTS_IN_QUEUE'] as const;
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
  if (config.queueId !== undefined && !ID.test(config.queueId)) problems.push('amazonConnect.queueId must be the queue id (letters, digits, dashes).');
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
  const queueId = text('AMAZON_CONNECT_QUEUE_ID');
  return {
    region: text('AMAZON_CONNECT_REGION') ?? text('AWS_REGION') ?? '',
    instanceId,
    contactFlowId: text('AMAZON_CONNECT_CONTACT_FLOW_ID') ?? '',
    attributes: (text('AMAZON_CONNECT_ATTRIBUTES') ?? '').split(',').map((name) => name.trim()).filter((name) => name !== ''),
    ...(identityAttribute === undefined ? {} : { identityAttribute }),
    ...(minutes === undefined ? {} : { chatDurationMinutes: Number(minutes) }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(queueId === undefined ? {} : { queueId }),
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

interface Sdk {
  readonly client: { send(command: unknown, options: { abortSignal: AbortSignal }): Promise<unknown> };
  readonly startChat: (input: object) => unknown;
  readonly currentMetrics: (input: object) => unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value of one current metric in a `GetCurrentMetricData` answer (0 when absent: Connect leaves out empty queues). */
function metric(answer: unknown, name: string): number {
  const results = isObject(answer) && Array.isArray(answer.MetricResults) ? answer.MetricResults : [];
  const collections = results.flatMap((result: unknown) => (isObject(result) && Array.isArray(result.Collections) ? result.Collections : []));
  const found = collections.find((collection: unknown) => isObject(collection) && isObject(collection.Metric) && collection.Metric.Name === name);
  const value = isObject(found) ? found.Value : undefined;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

/**
 * The Amazon Connect endpoints: `startChat` calls `StartChatContact` and answers only the participant token and ids;
 * `availability` reads the queue's `GetCurrentMetricData`. The AWS SDK (`@aws-sdk/client-connect`) is loaded on first
 * use, so the rest of the server entry works without it. One attempt per request (`maxAttempts: 1`): throttling is
 * answered at once as 503 with `Retry-After`, inside `upstreamTimeoutMs`, and the browser decides when to try again.
 *
 * @example
 * const connect = amazonConnectService({ config: { region: 'us-east-1', instanceId, contactFlowId }, upstream });
 * await connect.startChat({ id: 'user-42', name: 'Ada' }, { initialMessage: 'Refund for order 7' });
 */
export function amazonConnectService(options: { readonly config: AmazonConnectConfig; readonly upstream: UpstreamContext }) {
  const { config, upstream } = options;
  let loading: Promise<Sdk> | undefined;
  const call = async (operation: string, command: (sdk: Sdk) => unknown): Promise<unknown> => {
    loading ??= import('@aws-sdk/client-connect').then(({ ConnectClient, StartChatContactCommand, GetCurrentMetricDataCommand }) => ({
      client: new ConnectClient({ region: config.region, maxAttempts: 1, ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }) }),
      startChat: (input: object) => new StartChatContactCommand(input as ConstructorParameters<typeof StartChatContactCommand>[0]),
      currentMetrics: (input: object) => new GetCurrentMetricDataCommand(input as ConstructorParameters<typeof GetCurrentMetricDataCommand>[0]),
    }));
    const sdk = await loading.catch(() => {
      loading = undefined;
      throw new HttpError(500, 'INTERNAL', 'Amazon Connect needs the @aws-sdk/client-connect package on the server.');
    });
    try {
      return await sdk.client.send(command(sdk), { abortSignal: AbortSignal.timeout(upstream.timeoutMs) });
    } catch (error) {
      const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      upstream.logger.warn(`Amazon Connect ${operation} failed`, { name, status: $metadata?.httpStatusCode });
      if (name === 'TimeoutError' || name === 'AbortError') throw new HttpError(504, 'UPSTREAM_TIMEOUT', 'Amazon Connect did not answer in time. Try again.');
      if (name === 'ThrottlingException' || name === 'LimitExceededException') throw new HttpError(503, 'UPSTREAM_BUSY', 'Amazon Connect is busy. Try again shortly.', { 'Retry-After': '5' });
      throw new HttpError(502, 'UPSTREAM_ERROR', `Amazon Connect answered with an error (${name ?? 'unknown'}).`);
    }
  };
  return {
    async startChat(identity: Identity, body: unknown): Promise<AmazonConnectChat> {
      const input = readObject(body ?? {}, ['displayName', 'initialMessage', 'attributes']);
      const displayName = identity.name ?? optionalDisplayName(input.displayName, 'displayName') ?? 'Customer';
      const message = input.initialMessage;
      if (message !== undefined && (typeof message !== 'string' || message.length < 1 || message.length > 1024)) {
        throw badRequest('"initialMessage" must be text of 1 to 1024 characters.');
      }
      const attributes = { ...readAttributes(input.attributes, config.attributes ?? []), [config.identityAttribute ?? 'customerId']: identity.id };
      const answer = await call('StartChatContact', (sdk) =>
        sdk.startChat({
          InstanceId: config.instanceId,
          ContactFlowId: config.contactFlowId,
          ParticipantDetails: { DisplayName: displayName },
          Attributes: attributes,
          SupportedMessagingContentTypes: ['text/plain', 'text/markdown'],
          ...(typeof message === 'string' ? { InitialMessage: { ContentType: 'text/plain', Content: message } } : {}),
          ...(config.chatDurationMinutes === undefined ? {} : { ChatDurationInMinutes: config.chatDurationMinutes }),
        }),
      );
      const { ContactId, ParticipantId, ParticipantToken } = isObject(answer) ? answer : {};
      if (typeof ContactId !== 'string' || typeof ParticipantId !== 'string' || typeof ParticipantToken !== 'string' || !ContactId || !ParticipantId || !ParticipantToken) {
        throw new HttpError(502, 'UPSTREAM_ERROR', 'Amazon Connect answered with something unexpected.');
      }
      return { contactId: ContactId, participantId: ParticipantId, participantToken: ParticipantToken };
    },
    async availability(query: URLSearchParams): Promise<AmazonConnectAvailability> {
      readQuery(query, []);
      const queueId = config.queueId;
      if (queueId === undefined) throw new HttpError(404, 'NOT_FOUND', 'Availability is not configured on this server.');
      const answer = await call('GetCurrentMetricData', (sdk) =>
        sdk.currentMetrics({
          InstanceId: config.instanceId,
          Filters: { Queues: [queueId], Channels: ['CHAT'] },
          CurrentMetrics: METRICS.map((name) => ({ Name: name, Unit: 'COUNT' })),
        }),
      );
      const agentsOnline = metric(answer, 'AGENTS_ONLINE');
      return { online: agentsOnline > 0, agentsOnline, agentsAvailable: metric(answer, 'AGENTS_AVAILABLE'), waiting: metric(answer, 'CONTACTS_IN_QUEUE') };
    },
  };
}
