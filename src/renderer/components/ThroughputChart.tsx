import { windowedRates, type Sample } from '../lib/throughput.js';

export type { Sample };

export function ThroughputChart({ samples, width = 220, height = 48 }: { samples: Sample[]; width?: number; height?: number }) {
  const rates = windowedRates(samples);
  if (rates.length < 2) return <svg className="chart" width={width} height={height} aria-label="throughput" data-testid="throughput-chart" />;
  const t0 = rates[0]!.t;
  const span = Math.max(1, rates.at(-1)!.t - t0);
  const peak = Math.max(1, ...rates.map((r) => r.rate));
  const points = rates.map((r) => `${(((r.t - t0) / span) * (width - 2) + 1).toFixed(1)},${(height - 2 - (r.rate / peak) * (height - 18)).toFixed(1)}`);
  return (
    <svg className="chart" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-label={`throughput, peak ${Math.round(peak)} texts per second`} data-testid="throughput-chart">
      <polygon className="chart-area" points={`1,${height - 1} ${points.join(' ')} ${width - 1},${height - 1}`} />
      <polyline className="chart-line" points={points.join(' ')} />
      <text className="chart-label" x={width - 4} y={11} textAnchor="end">
        peak {Math.round(peak)}/s
      </text>
    </svg>
  );
}
