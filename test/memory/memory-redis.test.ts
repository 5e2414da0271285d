import { connectRedis, resolveTeamOptions, teamPrefix } from '../../src/core/team/connection.js';
import { RedisMemory } from '../../src/core/team/redis-memory.js';
import { useRedisServer } from '../team/helpers/redis-server.js';
import { runMemoryContract } from './memory-contract.js';

const server = useRedisServer();

// One team per store name: two handles are two team members on their own connections.
runMemoryContract('redis', async (team, options) => {
  const o = resolveTeamOptions({ url: server().url, team });
  return new RedisMemory({ client: await connectRedis(o, 'queue'), prefix: teamPrefix(team), ownsClient: true, ...options });
});
