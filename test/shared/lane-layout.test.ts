import { describe, expect, it } from 'vitest';
import { ENGINE_DEFAULTS, LARGE_MODEL_BYTES, laneLayout } from '../../src/shared/engine-settings.js';

describe('lanes and threads follow the model size and the cores', () => {
  it('gives a small model one lane per core (at most 4), one thread each', () => {
    expect(laneLayout(ENGINE_DEFAULTS, 2, 0, 15e6)).toEqual({ lanes: 2, threadsPerLane: 1 });
    expect(laneLayout(ENGINE_DEFAULTS, 8, 0, 15e6)).toEqual({ lanes: 4, threadsPerLane: 2 });
  });

  it('gives a large model one lane with every thread the host may use', () => {
    expect(laneLayout(ENGINE_DEFAULTS, 2, 0, LARGE_MODEL_BYTES)).toEqual({ lanes: 1, threadsPerLane: 2 });
    expect(laneLayout(ENGINE_DEFAULTS, 8, 3, 310e6)).toEqual({ lanes: 1, threadsPerLane: 3 });
  });

  it('keeps explicit settings whatever the size', () => {
    expect(laneLayout({ engineLanes: 2, intraOpNumThreads: 1 }, 8, 0, 310e6)).toEqual({ lanes: 2, threadsPerLane: 1 });
  });
});
