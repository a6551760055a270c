/**
 * The HTTP layer under client-node's generated API clients for one collection: it counts every request sent, gives
 * each one a deadline covering the whole exchange (headers and body), and buffers the body so the collector can read
 * the raw JSON after client-node has deserialised its typed copy.
 */
import {
  IsomorphicFetchHttpLibrary,
  ResponseContext,
  wrapHttpLibrary,
  type HttpLibrary,
  type ResponseBody,
} from '@kubernetes/client-node';

/** An HTTP library for client-node plus the number of requests it has sent so far. */
export interface KubeTransport {
  httpApi: HttpLibrary;
  /** Every request sent, retries included. */
  readonly requests: number;
}

/**
 * A transport whose requests are aborted after `timeoutMs`, or as soon as `signal` aborts (client-node's fetch then
 * rejects with an `AbortError`). The deadline also covers reading the body: a server that sends headers and then
 * stalls still times out.
 */
export function createKubeTransport(timeoutMs: number, signal?: AbortSignal): KubeTransport {
  const fetchLibrary = new IsomorphicFetchHttpLibrary();
  let requests = 0;
  const httpApi = wrapHttpLibrary({
    async send(request) {
      requests += 1;
      request.setSignal(signal ? AbortSignal.any([AbortSignal.timeout(timeoutMs), signal]) : AbortSignal.timeout(timeoutMs));
      const response = await fetchLibrary.send(request).toPromise();
      const text = await response.body.text();
      return new ResponseContext(response.httpStatusCode, response.headers, bufferedBody(text));
    },
  });
  return {
    httpApi,
    get requests() {
      return requests;
    },
  };
}

/** A body that can be read any number of times (fetch bodies can be read once). */
function bufferedBody(text: string): ResponseBody {
  return {
    text: async () => text,
    binary: async () => Buffer.from(text, 'utf8'),
  };
}
