// Server-Sent Events over a hijacked reply: one stream per subscriber, heartbeats so proxies
// keep it open, unsubscribed when the client goes away.
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Route options for an event stream: no HEAD twin, which would hold a connection open with nothing to send. */
export const SSE_ROUTE = { exposeHeadRoute: false } as const;

export interface SseStream {
  send(event: string, data: unknown): void;
  end(): void;
  readonly closed: boolean;
}

export function openSse(request: FastifyRequest, reply: FastifyReply, onClose: () => void): SseStream {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.write(': connected\n\n');
  let closed = false;
  const heartbeat = setInterval(() => raw.write(': ping\n\n'), 15_000);
  heartbeat.unref();
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    onClose();
  };
  request.raw.on('close', close);
  return {
    get closed() {
      return closed;
    },
    send(event, data) {
      if (!closed) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      close();
      raw.end();
    },
  };
}
