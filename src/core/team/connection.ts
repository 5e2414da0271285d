// Team mode's Redis connections. One place turns `--redis URL --team NAME` into ioredis options
// (AUTH, ACL user, TLS via rediss://), key prefixes and clear errors. Every key a team writes
// starts with `parla:<team>:`, so two teams on one Redis never see each other's data.
import { Redis, type RedisOptions } from 'ioredis';
import { ParlaError } from '../../shared/errors.js';
import { redactText, redactUrl } from './redact.js';

export interface TeamOptions {
  /** redis://[user:password@]host:port[/db] or rediss:// for TLS. */
  url: string;
  /** Team name; isolates keys (cache entries, BullMQ queues, job records). */
  team?: string;
  /** Extra TLS settings (CA, client cert) for rediss:// URLs. */
  tls?: RedisOptions['tls'];
  /** Milliseconds before a single cache command counts as failed (Redis away). */
  commandTimeoutMs?: number;
  /** Upper bound of the reconnect backoff. */
  maxReconnectDelayMs?: number;
}

export const TEAM_DEFAULTS = {
  team: 'default',
  commandTimeoutMs: 2000,
  maxReconnectDelayMs: 5000,
} as const;

const TEAM_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export interface ResolvedTeamOptions extends Required<Omit<TeamOptions, 'tls'>> {
  tls?: RedisOptions['tls'];
}

/** Validates up front so a typo fails with one line instead of a hanging reconnect loop. */
export function resolveTeamOptions(options: TeamOptions): ResolvedTeamOptions {
  const o = { ...TEAM_DEFAULTS, ...options };
  let parsed: URL;
  try {
    parsed = new URL(o.url);
  } catch {
    throw new ParlaError('BAD_INPUT', `--redis must be a redis:// or rediss:// URL, got ${redactUrl(o.url)}`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ParlaError('BAD_INPUT', `--redis must be a redis:// or rediss:// URL, got ${redactUrl(o.url)}`);
  }
  if (!/^\/?\d*$/.test(parsed.pathname)) {
    throw new ParlaError('BAD_INPUT', `the database in --redis is a number (redis://host:6379/0), got ${redactUrl(o.url)}`);
  }
  if (!TEAM_NAME.test(o.team)) {
    throw new ParlaError('BAD_INPUT', `--team must be 1-64 letters, digits, '.', '_' or '-', got "${o.team}"`);
  }
  return o;
}

/** `parla:<team>`: the BullMQ prefix, and (with a trailing colon) the prefix of every other key. */
export function teamPrefix(team: string): string {
  return `parla:${team}`;
}

export type ConnectionRole =
  /** Cache lookups: fail fast while Redis is away so translation falls back to the local cache. */
  | 'cache'
  /** Queue and BullMQ: wait for Redis to come back (BullMQ requires maxRetriesPerRequest null). */
  | 'queue';

export function redisOptions(o: ResolvedTeamOptions, role: ConnectionRole): RedisOptions {
  const base: RedisOptions = {
    lazyConnect: true,
    connectionName: `parla-${role}`,
    // Exponential backoff, capped: a Redis restart is noticed within seconds, an outage costs little.
    retryStrategy: (times) => Math.min(o.maxReconnectDelayMs, 50 * 2 ** Math.min(times, 10)),
    ...(o.tls ? { tls: o.tls } : {}),
  };
  return role === 'cache'
    ? { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: o.commandTimeoutMs }
    : { ...base, maxRetriesPerRequest: null };
}

export function isAuthError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /WRONGPASS|NOAUTH|invalid username-password|NOPERM/i.test(message);
}

/** Maps a Redis failure to a ParlaError whose one line names the (redacted) URL and what to do. */
export function teamError(error: unknown, url: string): ParlaError {
  if (error instanceof ParlaError) return error;
  const raw = redactText(error instanceof Error ? error.message : String(error), url);
  if (isAuthError(error)) {
    return new ParlaError('REDIS_AUTH', `Redis at ${redactUrl(url)} refused the credentials (${raw.split('\n')[0]}); check the user and password in --redis`);
  }
  return new ParlaError('TEAM_OFFLINE', `team Redis at ${redactUrl(url)} is unreachable: ${raw.split('\n')[0]}`);
}

/** The database number in the URL's path (`redis://host:6379/3`); 0 when it names none. */
export function databaseOf(url: string): number {
  return Number(new URL(url).pathname.slice(1) || 0);
}

/**
 * Proves the URL's database exists. ioredis sends its SELECT on connect, but a refusal ("DB index
 * is out of range") only becomes an 'error' event and the connection goes on, on database 0: a
 * worker would say "ready" and work on keys nobody else sees. Selecting again makes it an error.
 */
export async function checkDatabase(client: Redis, url: string): Promise<void> {
  const db = databaseOf(url);
  if (db === 0) return;
  try {
    await client.select(db);
  } catch (error) {
    const reply = redactText(error instanceof Error ? error.message : String(error), url).split('\n')[0];
    if (!/^ERR/.test(reply ?? '')) throw teamError(error, url);
    throw new ParlaError('TEAM_OFFLINE', `Redis at ${redactUrl(url)} refused SELECT ${db} (${reply}); use a database number the server has`);
  }
}

/** Opens a connection and waits until it is ready on its database; failures become ParlaErrors. */
export async function connectRedis(o: ResolvedTeamOptions, role: ConnectionRole): Promise<Redis> {
  const client = new Redis(o.url, redisOptions(o, role));
  // connect() only says "Connection is closed"; the reason (WRONGPASS, ECONNREFUSED) comes as an
  // 'error' event. Listening also keeps ioredis from printing errors (with the host) to stderr.
  let reason: unknown;
  client.on('error', (error: unknown) => (reason = error));
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw teamError(reason ?? error, o.url);
  }
  try {
    await checkDatabase(client, o.url);
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return client;
}

/** Closes politely when connected; otherwise drops the socket (QUIT would wait for a reconnect). */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
}

/** Waits for a close step at most `ms`: shutting down must not hang on a Redis that is away. */
export async function within(ms: number, step: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([step.catch(() => undefined), new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/**
 * A client to hand to BullMQ. BullMQ duplicates it for blocking reads (QueueEvents, a Worker)
 * and closes such a duplicate only once it has connected: with Redis away, that close waits
 * forever and the duplicate keeps reconnecting, so the process never exits. This remembers
 * every duplicate so `dropDuplicates` can end them after the polite close had its chance.
 */
export function trackDuplicates(client: Redis): Redis & { dropDuplicates(): void } {
  const made: Redis[] = [];
  const duplicate = client.duplicate.bind(client);
  return Object.assign(client, {
    duplicate: (...args: Parameters<Redis['duplicate']>) => {
      const copy = duplicate(...args);
      copy.on('error', () => undefined);
      made.push(copy);
      return copy;
    },
    dropDuplicates: () => {
      for (const copy of made.splice(0)) copy.disconnect();
    },
  });
}
