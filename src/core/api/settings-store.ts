// User settings persisted as JSON in the data dir; one DEFAULTS object (src/shared/settings.ts),
// validated up front so a bad value is refused with one line instead of stored.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParlaError } from '../../shared/errors.js';
import { SETTINGS_DEFAULTS, THEMES, type Settings, type SettingsPatch } from '../../shared/settings.js';

const FILE = 'settings.json';

export class SettingsStore {
  constructor(private readonly dataDir: string) {}

  get(): Settings {
    let stored: SettingsPatch = {};
    try {
      stored = JSON.parse(readFileSync(join(this.dataDir, FILE), 'utf8')) as SettingsPatch;
    } catch {
      /* first start or unreadable: defaults */
    }
    return merge({ ...SETTINGS_DEFAULTS, dataDir: this.dataDir }, stored);
  }

  set(patch: SettingsPatch): Settings {
    validate(patch);
    if (patch.dataDir !== undefined && patch.dataDir !== this.dataDir) {
      throw new ParlaError('BAD_INPUT', 'the data folder is chosen at start (--data-dir or PARLA_DATA_DIR), not changed while running');
    }
    const next = merge(this.get(), patch);
    mkdirSync(this.dataDir, { recursive: true });
    const tmp = join(this.dataDir, `${FILE}.${process.pid}.tmp`);
    const { dataDir: _omit, ...persisted } = next;
    writeFileSync(tmp, JSON.stringify(persisted, null, 2));
    renameSync(tmp, join(this.dataDir, FILE));
    return next;
  }
}

function merge(base: Settings, patch: SettingsPatch): Settings {
  return {
    team: { ...base.team, ...patch.team },
    cache: { ...base.cache, ...patch.cache },
    threads: patch.threads ?? base.threads,
    dataDir: base.dataDir,
    theme: patch.theme ?? base.theme,
    uploadRetentionDays: patch.uploadRetentionDays ?? base.uploadRetentionDays,
  };
}

function validate(patch: SettingsPatch): void {
  const bad = (what: string) => {
    throw new ParlaError('BAD_INPUT', what);
  };
  if (patch.threads !== undefined && (!Number.isInteger(patch.threads) || patch.threads < 0 || patch.threads > 64)) bad('threads must be a whole number from 0 to 64');
  if (patch.cache?.maxEntries !== undefined && (!Number.isInteger(patch.cache.maxEntries) || patch.cache.maxEntries < 1)) bad('cache size must be a whole number of entries ≥ 1');
  if (patch.cache?.ttlDays !== undefined && (!Number.isFinite(patch.cache.ttlDays) || patch.cache.ttlDays < 0)) bad('cache TTL must be ≥ 0 days (0 = never expire)');
  if (patch.uploadRetentionDays !== undefined && (!Number.isInteger(patch.uploadRetentionDays) || patch.uploadRetentionDays < 0 || patch.uploadRetentionDays > 36_500)) {
    bad('upload retention must be a whole number of days from 0 to 36500 (0 = keep uploads)');
  }
  if (patch.theme !== undefined && !THEMES.includes(patch.theme)) bad(`theme must be one of ${THEMES.join(', ')}`);
  if (patch.team?.redisUrl && !/^rediss?:\/\//.test(patch.team.redisUrl)) bad('the team Redis URL must start with redis:// or rediss://');
  if (patch.team?.name !== undefined && patch.team.name !== '' && !/^[A-Za-z0-9_.-]{1,64}$/.test(patch.team.name)) bad('a team name is 1-64 letters, digits, ".", "_" or "-"');
}
