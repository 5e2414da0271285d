// The compatible APIs' named keys: list, create (the key's text is in this answer only), revoke.
// These are Parla's own routes, so the gate admits only the server's token: a client key can
// neither see nor make keys. They use the server's key store, the one its gate checks (for
// `parla serve`, the data dir's, which the app and `parla keys` share).
import type { FastifyInstance } from 'fastify';
import type { KeyStore } from '../../core/compat/keys.js';
import { ParlaError } from '../../shared/errors.js';
import { API_ARGS } from '../../shared/ipc.js';

export function keyRoutes(app: FastifyInstance, keys: KeyStore): void {
  app.get('/api/v1/keys', async () => ({ keys: keys.list() }));
  app.post('/api/v1/keys', async (request, reply) => reply.status(201).send(keys.create(API_ARGS.createKey.parse([request.body])[0])));
  app.delete<{ Params: { name: string } }>('/api/v1/keys/:name', async (request, reply) => {
    const name = API_ARGS.revokeKey.parse([request.params.name])[0];
    if (!keys.revoke(name)) throw new ParlaError('NOT_FOUND', `no key named "${name}" (see parla keys list)`);
    return reply.status(204).send();
  });
}
