// User settings persisted as JSON in the data dir; one DEFAULTS object (src/shared/settings.ts),
// validated up front so a bad value is refused with one line instead of stored. The file may
// hold a team's Redis password, so it is the user's alone (0600, in a 0700 folder).
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MEMORY_AUTHOR } from '../../shared/memory.js';
import { ParlaError } from '../../shared/errors.js';
import { SETTINGS_DEFAULTS, SETTINGS_LABELS as L, THEMES, type Settings, type SettingsPatch } from '../../shared/settings.js';
import { ensurePrivateDir, ensurePrivateFile, writePrivateFile } from '../private-fs.js';
import { redactUrl, restoreRedactedUrl } from '../team/redact.js';

const FILE = 'settings.json';

/** Who memory entries made here are by: the `memory.author` setting, else the system user. */
export function memoryAuthor(settings: Settings): string {
  if (settings.memory.author.trim()) return settings.memory.author.trim();
  try {
    return userInfo().username || DEFAULT_MEMORY_AUTHOR;
  } catch {
    return DEFAULT_MEMORY_AUTHOR; // no passwd entry (a container's arbitrary uid)
  }
}

export class SettingsStore {
  constructor(private readonly dataDir: string) {
    // A file an older Parla left world-readable is closed at open, not at the next save.
    ensurePrivateFile(join(dataDir, FILE));
  }

  get(): Settings {
    let stored: SettingsPatch = {};
    try {
      stored = JSON.parse(readFileSync(join(this.dataDir, FILE), 'utf8')) as SettingsPatch;
    } catch {
      /* first start or unreadable: defaults */
    }
    return merge({ ...SETTINGS_DEFAULTS, dataDir: this.dataDir }, stored);
  }

  /** Stores `patch`; a Redis URL sent back masked (as `shownSettings` gave it) keeps the stored password. */
  set(patch: SettingsPatch): Settings {
    if (patch.team?.redisUrl !== undefined) {
      patch = { ...patch, team: { ...patch.team, redisUrl: restoreRedactedUrl(patch.team.redisUrl, this.get().team.redisUrl) } };
    }
    validate(patch);
    if (patch.dataDir !== undefined && patch.dataDir !== this.dataDir) {
      throw new ParlaError('BAD_INPUT', `${L.dataDir} is chosen at start (--data-dir or PARLA_DATA_DIR), not changed while running`);
    }
    const next = merge(this.get(), patch);
    ensurePrivateDir(this.dataDir);
    const { dataDir: _omit, ...persisted } = next;
    writePrivateFile(join(this.dataDir, FILE), JSON.stringify(persisted, null, 2));
    return next;
  }
}

/** Settings as they leave the process (API, IPC, UI): the Redis password shows as `***`. */
export function shownSettings(settings: Settings): Settings {
  return settings.team.redisUrl ? { ...settings, team: { ...settings.team, redisUrl: redactUrl(settings.team.redisUrl) } } : settings;
}

function merge(base: Settings, patch: SettingsPatch): Settings {
  return {
    team: { ...base.team, ...patch.team },
    cache: { ...base.cache, ...patch.cache },
    threads: patch.threads ?? base.threads,
    memoryBudgetMB: patch.memoryBudgetMB ?? base.memoryBudgetMB,
    dataDir: base.dataDir,
    theme: patch.theme ?? base.theme,
    uploadRetentionDays: patch.uploadRetentionDays ?? base.uploadRetentionDays,
    allowedOrigins: patch.allowedOrigins ?? base.allowedOrigins,
    memory: { ...base.memory, ...patch.memory },
    review: { ...base.review, ...patch.review },
  };
}

function validate(patch: SettingsPatch): void {
  const bad = (what: string) => {
    throw new ParlaError('BAD_INPUT', what);
  };
  if (patch.threads !== undefined && (!Number.isInteger(patch.threads) || patch.threads < 0 || patch.threads > 64)) bad(`${L.threads} must be a whole number from 0 to 64 (0 = all cores)`);
  if (patch.memoryBudgetMB !== undefined && (!Number.isInteger(patch.memoryBudgetMB) || patch.memoryBudgetMB < 0 || patch.memoryBudgetMB > 1_048_576)) {
    bad(`${L.memoryBudgetMB} must be a whole number from 0 to 1048576`);
  }
  if (patch.cache?.maxEntries !== undefined && (!Number.isInteger(patch.cache.maxEntries) || patch.cache.maxEntries < 1)) bad(`${L['cache.maxEntries']} must be a whole number of 1 or more`);
  if (patch.cache?.ttlDays !== undefined && (!Number.isFinite(patch.cache.ttlDays) || patch.cache.ttlDays < 0)) bad(`${L['cache.ttlDays']} must be 0 or more days (0 = keep translations for ever)`);
  if (patch.uploadRetentionDays !== undefined && (!Number.isInteger(patch.uploadRetentionDays) || patch.uploadRetentionDays < 0 || patch.uploadRetentionDays > 36_500)) {
    bad(`${L.uploadRetentionDays} must be a whole number of days from 0 to 36500 (0 = keep uploads)`);
  }
  // An origin as browsers send it: scheme://host[:port], nothing after; "*" or "null" would open the APIs to any page.
  const badOrigin = patch.allowedOrigins?.find((o) => !/^[a-z][a-z0-9+.-]*:\/\/[^/\s*?#]+$/i.test(o));
  if (badOrigin !== undefined) bad(`${L.allowedOrigins}: each is scheme://host[:port] as a browser sends it (e.g. chrome-extension://abc…), not "${badOrigin}"`);
  if (patch.memory?.threshold !== undefined && (!Number.isFinite(patch.memory.threshold) || patch.memory.threshold < 0.5 || patch.memory.threshold > 1)) {
    bad(`${L['memory.threshold']} must be from 50 to 100 %`);
  }
  const minConfidence = patch.review?.minConfidence;
  if (minConfidence !== undefined && (!Number.isFinite(minConfidence) || minConfidence < 0 || minConfidence > 1)) bad(`${L['review.minConfidence']} must be from 0 to 100 %`);
  if (patch.memory?.author !== undefined && (typeof patch.memory.author !== 'string' || patch.memory.author.length > 100)) bad(`${L['memory.author']} must be at most 100 characters`);
  if (patch.theme !== undefined && !THEMES.includes(patch.theme)) bad(`${L.theme} must be one of ${THEMES.join(', ')}`);
  if (patch.team?.redisUrl && !/^rediss?:\/\//.test(patch.team.redisUrl)) bad(`${L['team.redisUrl']} must start with redis:// or rediss://`);
  if (patch.team?.name !== undefined && patch.team.name !== '' && !/^[A-Za-z0-9_.-]{1,64}$/.test(patch.team.name)) bad(`${L['team.name']} must be 1-64 letters, digits, ".", "_" or "-"`);
}
