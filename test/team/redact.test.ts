import { describe, expect, it } from 'vitest';
import { resolveTeamOptions, teamError } from '../../src/core/team/connection.js';
import { redactText, redactUrl } from '../../src/core/team/redact.js';
import { splitChunks } from '../../src/core/team/chunks.js';

describe('redactUrl / redactText', () => {
  it('hides passwords, keeps user, host and db', () => {
    expect(redactUrl('redis://:hunter2@host:6380/2')).toBe('redis://:***@host:6380/2');
    expect(redactUrl('rediss://alice:p%40ss@redis.example.com:6380')).toBe('rediss://alice:***@redis.example.com:6380');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactUrl('not a url //bob:pw@x')).toBe('not a url //***@x');
  });

  it('scrubs the password (raw and percent-encoded) from free text', () => {
    const url = 'redis://alice:p%40ss-word@h:1';
    expect(redactText(`failed ${url} with p@ss-word and p%40ss-word`, url)).toBe('failed redis://alice:***@h:1 with *** and ***');
  });
});

describe('teamError', () => {
  const url = 'redis://bob:topsecret@10.0.0.5:6379';
  it('maps WRONGPASS/NOAUTH to REDIS_AUTH and anything else to TEAM_OFFLINE, redacted, one line', () => {
    const auth = teamError(new Error('WRONGPASS invalid username-password pair topsecret'), url);
    expect(auth.code).toBe('REDIS_AUTH');
    expect(auth.message).not.toContain('topsecret');
    expect(auth.message).toContain('redis://bob:***@10.0.0.5:6379');
    const down = teamError(new Error('connect ECONNREFUSED 10.0.0.5:6379\n    at stack'), url);
    expect(down.code).toBe('TEAM_OFFLINE');
    expect(down.message).not.toContain('\n');
  });

  it('validates the URL and team name up front', () => {
    expect(() => resolveTeamOptions({ url: 'http://x' })).toThrow(/redis:\/\/ or rediss:\/\//);
    expect(() => resolveTeamOptions({ url: 'redis://:pw123@x', team: 'a b' })).toThrow(/--team/);
    expect(resolveTeamOptions({ url: 'rediss://x:6380' }).team).toBe('default');
  });
});

describe('splitChunks', () => {
  it('splits per language in item order', () => {
    const items = [1, 2, 3, 4, 5].map((id) => ({ id, lang: id % 2 ? 'es' : 'fr' }));
    expect(splitChunks(items, 2)).toEqual([
      { lang: 'es', ids: [1, 3] },
      { lang: 'es', ids: [5] },
      { lang: 'fr', ids: [2, 4] },
    ]);
  });
});
