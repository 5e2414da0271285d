import { randomUUID } from 'node:crypto';
import { connectRedis, resolveTeamOptions, teamPrefix } from '../../src/core/team/connection.js';
import { RedisQueue } from '../../src/core/team/redis-queue.js';
import { runQueueContract } from '../state/queue-contract.js';
import { useRedisServer } from './helpers/redis-server.js';

const server = useRedisServer();

runQueueContract('redis', async () => {
  const o = resolveTeamOptions({ url: server().url, team: `test-${randomUUID()}` });
  return new RedisQueue({ client: await connectRedis(o, 'queue'), prefix: teamPrefix(o.team), ownsClient: true });
});
