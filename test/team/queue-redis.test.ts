import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { connectRedis, resolveTeamOptions, teamPrefix } from '../../src/core/team/connection.js';
import { RedisQueue } from '../../src/core/team/redis-queue.js';
import { runQueueContract } from '../state/queue-contract.js';
import { RedisServer } from './helpers/redis-server.js';

let server: RedisServer;
beforeAll(async () => {
  server = await RedisServer.start();
});
afterAll(async () => {
  await server.destroy();
});

runQueueContract('redis', async () => {
  const o = resolveTeamOptions({ url: server.url, team: `test-${randomUUID()}` });
  return new RedisQueue({ client: await connectRedis(o, 'queue'), prefix: teamPrefix(o.team), ownsClient: true });
});
