import { describe, expect, it } from 'vitest';
import { ENGINE_DEFAULTS, LARGE_MODEL_BYTES, laneLayout } from '../../src/shared/engine-settings.js';

const small = { bytes: 15e6, shared: false };
const privateLarge = { bytes: 310e6, shared: false };
const mappedLarge = { bytes: 310e6, shared: true };

describe('lanes and threads follow the model size and the cores', () => {
  it('gives a small model one lane per core (at most 4), one thread each', () => {
    expect(laneLayout(ENGINE_DEFAULTS, 2, 0, small)).toEqual({ lanes: 2, threadsPerLane: 1 });
    expect(laneLayout(ENGINE_DEFAULTS, 8, 0, small)).toEqual({ lanes: 4, threadsPerLane: 2 });
    expect(laneLayout(ENGINE_DEFAULTS, 2)).toEqual({ lanes: 2, threadsPerLane: 1 });
  });

  it('gives a large model whose lanes would each hold a copy one lane with every thread the host may use', () => {
    expect(laneLayout(ENGINE_DEFAULTS, 2, 0, { bytes: LARGE_MODEL_BYTES, shared: false })).toEqual({ lanes: 1, threadsPerLane: 2 });
    expect(laneLayout(ENGINE_DEFAULTS, 8, 3, privateLarge)).toEqual({ lanes: 1, threadsPerLane: 3 });
  });

  it('gives a large model whose mapped weights the lanes share lanes like a small one', () => {
    expect(laneLayout(ENGINE_DEFAULTS, 2, 0, mappedLarge)).toEqual({ lanes: 2, threadsPerLane: 1 });
    expect(laneLayout(ENGINE_DEFAULTS, 8, 3, mappedLarge)).toEqual({ lanes: 3, threadsPerLane: 1 });
  });

  it('keeps explicit settings whatever the size', () => {
    expect(laneLayout({ engineLanes: 2, intraOpNumThreads: 1 }, 8, 0, privateLarge)).toEqual({ lanes: 2, threadsPerLane: 1 });
  });
});
