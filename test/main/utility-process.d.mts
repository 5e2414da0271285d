import type { ForkFn } from '../../src/main/model-host.js';

export declare const forkUtility: ForkFn;
