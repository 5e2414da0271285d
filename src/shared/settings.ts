// User settings, one DEFAULTS object; the services validate and persist them in the data dir.

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export interface Settings {
  team: { redisUrl: string; name: string };
  cache: { maxEntries: number; ttlDays: number };
  /**
   * Cores the model host may use for inference (its lanes and their onnxruntime threads);
   * 0 = all of them. Applies to models the host loads after the change.
   */
  threads: number;
  /**
   * Memory the model host may keep its models in, in MB (0 = no budget): before loading a model
   * it unloads idle ones, least recently used first, until the loaded models' measured memory
   * (ModelInfo.memory) plus the new one's fits. Replaces the engine setting `memoryBudgetBytes`.
   */
  memoryBudgetMB: number;
  dataDir: string;
  theme: Theme;
  /** Days an uploaded spreadsheet and its result are kept after their job ends; 0 = keep them. */
  uploadRetentionDays: number;
  /**
   * Origins (e.g. "chrome-extension://abcdef…", "https://app.example") whose pages may call the
   * DeepL- and LibreTranslate-compatible APIs cross-origin, with a key. Every other origin is refused.
   */
  allowedOrigins: string[];
  /**
   * Translation memory: `author` is the name entries are saved under ('' = the system user's);
   * `threshold` the similarity (0.5-1) from which fuzzy suggestions are shown. docs/memory.md.
   */
  memory: { author: string; threshold: number };
  /**
   * Review flags: a translation whose `confidence` is below `minConfidence` (0-1) is flagged
   * `low_confidence`. The default is the 20th percentile on held-out pairs. docs/review.md.
   */
  review: { minConfidence: number };
}

export interface SettingsPatch {
  team?: Partial<Settings['team']>;
  cache?: Partial<Settings['cache']>;
  threads?: number;
  memoryBudgetMB?: number;
  dataDir?: string;
  theme?: Theme;
  uploadRetentionDays?: number;
  allowedOrigins?: string[];
  memory?: Partial<Settings['memory']>;
  review?: Partial<Settings['review']>;
}

/**
 * Each setting as the Settings page labels it: messages about a setting name it this way, never
 * by its key (`cache.maxEntries`), in the app and in the API's answers alike.
 */
export const SETTINGS_LABELS = {
  'team.redisUrl': 'Redis URL',
  'team.name': 'Team',
  'cache.maxEntries': 'Max entries',
  'cache.ttlDays': 'Keep for (days)',
  threads: 'Threads',
  memoryBudgetMB: 'Memory budget for models (MB, 0 = none)',
  dataDir: 'Data folder',
  theme: 'Theme',
  uploadRetentionDays: 'Keep uploads (days)',
  allowedOrigins: 'Allowed origins',
  'memory.author': 'Your name',
  'memory.threshold': 'Suggest from (% similar)',
  'review.minConfidence': 'Flag for review below (% sure)',
} as const;

export type SettingsField = keyof typeof SETTINGS_LABELS;

/**
 * A message about settings with each key it names (`cache.maxEntries`, `setSettings[0].threads`)
 * replaced by the field's label, for messages made by the generic validators.
 */
export function labelSettingsMessage(message: string): string {
  return message.replace(/(?:setSettings\[0\]\.)?\b([a-zA-Z]+(?:\.[a-zA-Z]+)?)\b(?= must| is| holds)/gu, (match, key: string) =>
    key in SETTINGS_LABELS ? SETTINGS_LABELS[key as SettingsField] : match,
  );
}

export const SETTINGS_DEFAULTS: Omit<Settings, 'dataDir'> = {
  team: { redisUrl: '', name: '' },
  cache: { maxEntries: 1_000_000, ttlDays: 90 },
  threads: 0,
  memoryBudgetMB: 0,
  theme: 'system',
  uploadRetentionDays: 7,
  allowedOrigins: [],
  memory: { author: '', threshold: 0.75 },
  review: { minConfidence: 0.6 },
};

export interface TeamConnectionTest {
  ok: boolean;
  latencyMs?: number;
  error?: { code: string; message: string };
}

export interface TeamStatus {
  mode: 'solo' | 'team';
  connected: boolean;
  team?: string;
  workers?: number;
  error?: { code: string; message: string };
}

export interface HostModelState {
  id: string;
  state: 'loading' | 'ready';
  quantized: boolean;
  memoryBytes?: number;
}

export interface Health {
  ok: boolean;
  /** The installed release (package.json). */
  version: string;
  /**
   * The data dir's model host: `idle` when none runs (the next translation starts one),
   * `crashed` when the app's host gave up restarting, `stopped` when the app stopped it.
   */
  modelHost: 'starting' | 'ready' | 'idle' | 'crashed' | 'stopped';
  /**
   * The host answering now: its pid, the models it holds (ids), and each one's state: `loading`
   * while its weights load (a translation for it waits), then `ready`; with the precision it
   * runs in and its measured memory once known.
   */
  host?: { pid: number; models: string[]; modelStates: HostModelState[] };
  mode: 'solo' | 'team';
  /** Team mode: whether the team's Redis answers. */
  team?: TeamStatus;
}
