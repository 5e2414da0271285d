import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteQueue } from '../../src/core/queue/sqlite.js';
import { runQueueContract } from './queue-contract.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmp = useTmpDirs();

runQueueContract('sqlite', async () => new SqliteQueue({ file: join(tmp(), 'parla.db') }));

describe('SqliteQueue', () => {
  it('takes over a lease whose owner process is dead', async () => {
    const q = new SqliteQueue({ file: join(tmp(), 'parla.db') });
    const { id } = await q.create({ from: 'en', to: ['es'], spec: {} });
    // 2^22 + 1 is above Linux's default pid_max, so no process has it.
    expect(await q.acquire(id, { id: 'dead', pid: 4_194_305 })).toBe(true);
    expect(await q.acquire(id, { id: 'alive', pid: process.pid })).toBe(true);
    await q.close();
  });
});
