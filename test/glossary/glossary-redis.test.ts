import { connectRedis, resolveTeamOptions, teamPrefix } from '../../src/core/team/connection.js';
import { RedisGlossary } from '../../src/core/team/redis-glossary.js';
import { useRedisServer } from '../team/helpers/redis-server.js';
import { runGlossaryContract } from './glossary-contract.js';

const server = useRedisServer();

// One team per store name: two handles are two team members on their own connections. The
// glossary uses the queue connection (it waits for Redis rather than failing fast): an import
// of 100,000 terms takes longer than a cache lookup may.
runGlossaryContract('redis', async (team) => {
  const o = resolveTeamOptions({ url: server().url, team });
  return new RedisGlossary({ client: await connectRedis(o, 'queue'), prefix: teamPrefix(team), ownsClient: true });
});
