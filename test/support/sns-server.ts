/**
 * A local SNS endpoint for tests: it speaks the SNS Query protocol over HTTP on 127.0.0.1 (form-encoded `Publish`,
 * XML `PublishResponse`), records every message it accepts, and refuses a message over SNS's 256 KiB limit the way
 * SNS does, so the real SNSClient can be pointed at it with `endpoint`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One accepted Publish, as the server parsed it from the wire. */
export interface PublishedMessage {
  topicArn: string;
  subject?: string;
  message: string;
  attributes: Record<string, { dataType: string; stringValue?: string }>;
  messageId: string;
}

/** A running endpoint: its URL, what it accepted so far, and how to stop it. */
export interface SnsTestServer {
  endpoint: string;
  published: PublishedMessage[];
  stop(): Promise<void>;
}

/** SNS's limit for one publish: message, subject and attributes together, in bytes. */
export const SNS_MAX_PUBLISH_BYTES = 256 * 1024;

/** Starts the endpoint on a free port of 127.0.0.1. */
export async function startSnsServer(): Promise<SnsTestServer> {
  const published: PublishedMessage[] = [];
  const server = createServer((request, response) => {
    readBody(request)
      .then((body) => answer(new URLSearchParams(body), published, response))
      .catch((error: Error) => sendError(response, 500, 'Receiver', 'InternalError', error.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    published,
    stop: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function answer(form: URLSearchParams, published: PublishedMessage[], response: ServerResponse): void {
  if (form.get('Action') !== 'Publish') {
    const action = form.get('Action');
    sendError(response, 400, 'Sender', 'InvalidAction', `action ${action} is not supported by this endpoint`);
    return;
  }
  const topicArn = form.get('TopicArn');
  const message = form.get('Message');
  if (!topicArn || message === null) {
    sendError(response, 400, 'Sender', 'InvalidParameter', 'Invalid parameter: TopicArn and Message are required');
    return;
  }
  const attributes = messageAttributes(form);
  const subject = form.get('Subject') ?? undefined;
  if (publishBytes(message, subject, attributes) > SNS_MAX_PUBLISH_BYTES) {
    sendError(response, 400, 'Sender', 'InvalidParameter', 'Invalid parameter: Message too long');
    return;
  }
  const messageId = randomUUID();
  published.push({ topicArn, message, attributes, messageId, ...(subject !== undefined ? { subject } : {}) });
  response.writeHead(200, { 'content-type': 'text/xml' });
  response.end(
    `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">` +
      `<PublishResult><MessageId>${messageId}</MessageId></PublishResult>` +
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
  );
}

/** `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue`, N counting from 1. */
function messageAttributes(form: URLSearchParams): PublishedMessage['attributes'] {
  const attributes: PublishedMessage['attributes'] = {};
  for (let index = 1; form.has(`MessageAttributes.entry.${index}.Name`); index += 1) {
    const prefix = `MessageAttributes.entry.${index}`;
    const stringValue = form.get(`${prefix}.Value.StringValue`);
    attributes[form.get(`${prefix}.Name`) as string] = {
      dataType: form.get(`${prefix}.Value.DataType`) ?? '',
      ...(stringValue !== null ? { stringValue } : {}),
    };
  }
  return attributes;
}

function publishBytes(message: string, subject: string | undefined, attributes: PublishedMessage['attributes']): number {
  const attributeText = Object.entries(attributes).map(
    ([name, value]) => `${name}${value.dataType}${value.stringValue ?? ''}`,
  );
  return Buffer.byteLength([message, subject ?? '', ...attributeText].join(''), 'utf8');
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendError(response: ServerResponse, status: number, type: string, code: string, message: string): void {
  response.writeHead(status, { 'content-type': 'text/xml' });
  response.end(
    `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${type}</Type><Code>${code}</Code>` +
      `<Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
