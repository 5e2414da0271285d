// How a model host process's runtime is set up, for every way one starts (the CLI's detached
// spawn, the app's utilityProcess, bench/engine-model.mjs's children).
//
// --max-semi-space-size=2 (MiB): V8's young generation grows to 16 MiB semi-spaces per thread
// (the host thread and each lane) after a burst of allocation such as parsing a tokenizer;
// capped, a host with an OPUS-MT-size model held ~30 MB less (/proc/self/smaps), with no
// measurable cost in throughput (bench/results/engine-realsize.md).
//
// Measured and not kept: glibc's MALLOC_MMAP_THRESHOLD_ fixed at 128 KiB returned memory
// onnxruntime had freed (RSS growth after a run 600 → 455 MB fp32, 457 → 290 MB int8) but made
// decoding 2-4× slower (every activation and output buffer mapped and faulted in afresh);
// MALLOC_ARENA_MAX=1/2 and higher thresholds (1-16 MiB) saved little or nothing.

// --expose-gc: a lane collects its dead onnxruntime output buffers right after a batch
// (src/workers/marian/garbage.ts). Given at start, so no V8 flag changes once V8 runs (Electron's
// utility process may freeze its flags; a lane host started without it sets the flag itself).

/** Node options a host process starts with. */
export const HOST_NODE_ARGS: readonly string[] = ['--max-semi-space-size=2', '--expose-gc'];
