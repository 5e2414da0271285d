// The bundled tiny model and its golden outputs, when present (they are copied in, not committed).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/core/paths.js';

export const MODEL_DIR = join(packageRoot(), 'resources', 'models', 'parla-tiny-en-es');
export const GOLDEN_PATH = join(packageRoot(), 'test', 'fixtures', 'golden-tiny-en-es.json');
export const HAVE_MODEL = existsSync(join(MODEL_DIR, 'onnx', 'encoder_model.onnx'));
export const HAVE_GOLDEN = HAVE_MODEL && existsSync(GOLDEN_PATH);

export interface Golden {
  model: string;
  maxLength: number;
  numBeams: number;
  nBest: number;
  lengthPenalty: number;
  items: {
    source: string;
    inputIds: number[];
    greedy: { ids: number[]; text: string };
    beam: { ids: number[]; text: string; score: number }[];
  }[];
}

export function loadGolden(): Golden {
  return JSON.parse(readFileSync(GOLDEN_PATH, 'utf8')) as Golden;
}
