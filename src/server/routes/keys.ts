// The compatible APIs' named keys: list, create (the key's text is in this answer only), revoke.
// These are Parla's own routes, so the gate admits only the server's token: a client key can
// neither see nor make keys.
import type { FastifyInstance } from 'fastify';
import { API_ARGS } from '../../shared/ipc.js';
import type { RouteContext } from './context.js';

export function keyRoutes(app: FastifyInstance, { api }: RouteContext): void {
  app.get('/api/v1/keys', async () => ({ keys: await api.listKeys() }));
  app.post('/api/v1/keys', async (request, reply) => reply.status(201).send(await api.createKey(API_ARGS.createKey.parse([request.body])[0])));
  app.delete<{ Params: { name: string } }>('/api/v1/keys/:name', async (request, reply) => {
    await api.revokeKey(API_ARGS.revokeKey.parse([request.params.name])[0]);
    return reply.status(204).send();
  });
}
