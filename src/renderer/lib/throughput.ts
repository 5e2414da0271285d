// Texts per second over a job's life, measured over sliding one-second windows of the progress
// events (a rate taken over a few milliseconds at the start would dwarf the rest).
export interface Sample {
  t: number;
  done: number;
}

const WINDOW_MS = 1000;

export function windowedRates(samples: Sample[]): { t: number; rate: number }[] {
  const rates: { t: number; rate: number }[] = [];
  let j = 0;
  for (let i = 1; i < samples.length; i++) {
    const now = samples[i]!;
    while (j + 1 < i && now.t - samples[j + 1]!.t >= WINDOW_MS) j++;
    const then = samples[j]!;
    if (now.t - then.t >= WINDOW_MS) rates.push({ t: now.t, rate: ((now.done - then.done) * 1000) / (now.t - then.t) });
  }
  return rates;
}
