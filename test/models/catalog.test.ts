import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ModelStore } from '../../src/core/models/model-store.js';
import { pairFor } from '../../src/core/models/model-info.js';
import { MODEL_CATALOG, catalogModelFor, searchCatalog } from '../../src/shared/model-catalog.js';
import { isModelId } from '../../src/shared/model-layout.js';
import { ensureBuilt, runParla, tempDataDir } from '../engine/host-helpers.js';
import { HAVE_MODEL } from '../engine/model-fixture.js';

const ids = (models: readonly { id: string }[]) => models.map((m) => m.id);

describe('model catalog', () => {
  it('holds only well-formed ids whose names say the pair the entry claims', () => {
    expect(MODEL_CATALOG.length).toBeGreaterThan(40);
    for (const m of MODEL_CATALOG) {
      expect(isModelId(m.id)).toBe(true);
      expect(pairFor(m.id)).toEqual({ from: m.from, to: [m.to] });
    }
    expect(new Set(ids(MODEL_CATALOG)).size).toBe(MODEL_CATALOG.length);
  });

  it('searches by code or name, any case, and by pair', () => {
    const spanish = ids(searchCatalog('es'));
    expect(spanish).toContain('Xenova/opus-mt-en-es');
    expect(spanish).toContain('Xenova/opus-mt-es-en');
    expect(spanish.every((id) => /-es-|-es$/.test(id))).toBe(true);
    expect(ids(searchCatalog('Spanish'))).toEqual(spanish);
    expect(ids(searchCatalog('español'))).toEqual(spanish);
    expect(ids(searchCatalog('en es'))).toEqual(['Xenova/opus-mt-en-es']);
    expect(ids(searchCatalog('en-es'))).toEqual(['Xenova/opus-mt-en-es']);
    expect(searchCatalog('klingon')).toEqual([]);
    expect(searchCatalog('')).toHaveLength(MODEL_CATALOG.length);
    expect(catalogModelFor('en', 'ko')).toBeUndefined();
  });
});

describe.skipIf(!HAVE_MODEL)('routing and hints with the bundled model', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parla-catalog-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('routes a regional target to the base model and hints only ids the catalog has', async () => {
    const store = new ModelStore(dataDir);
    expect((await store.route('en', 'es-ES')).id).toBe('parla/tiny-en-es');
    await expect(store.route('en', 'fr')).rejects.toThrow('no model for en→fr; run: parla models download Xenova/opus-mt-en-fr');
    const missing = await store.route('en', 'ko').catch((e: Error) => e.message);
    expect(missing).toContain("Parla's catalog has no OPUS-MT model for en→ko");
    expect(missing).not.toContain('Xenova/opus-mt-en-ko');
  });
});

describe.skipIf(!HAVE_MODEL)('language names and codes at the CLI (slow)', () => {
  beforeAll(() => ensureBuilt());

  it('understands --to Spanish, ES and es-ES, and refuses a non-language in one line', async () => {
    const dataDir = await tempDataDir();
    try {
      for (const to of ['Spanish', 'ES', 'es-ES', 'español']) {
        const run = await runParla(['translate', 'Open file', '--to', to, '--json'], dataDir);
        expect(run.code, run.stderr).toBe(0);
        expect(JSON.parse(run.stdout)).toMatchObject([{ model: 'parla/tiny-en-es' }]);
      }
      const bad = await runParla(['translate', 'Open file', '--to', 'klingon'], dataDir);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toBe('parla: --to "klingon" is not a language code or name (e.g. es, Spanish, pt-BR)\n');
      const search = await runParla(['models', 'search', 'french'], dataDir);
      expect(search.code).toBe(0);
      expect(search.stdout).toContain('Xenova/opus-mt-en-fr\tEnglish → French\t~300 MB');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!HAVE_MODEL)('sizes people read (slow)', () => {
  beforeAll(() => ensureBuilt());

  it('cache stats gives a small cache in bytes, not "0.0 MiB"', async () => {
    const dataDir = await tempDataDir();
    try {
      expect((await runParla(['translate', 'Open file', '--to', 'es'], dataDir)).code).toBe(0);
      const stats = await runParla(['cache', 'stats'], dataDir);
      expect(stats.code).toBe(0);
      expect(stats.stdout).toMatch(/^entries 1 · \d+ B · hits 0 · misses 1 /);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
