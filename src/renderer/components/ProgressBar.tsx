export function ProgressBar({ value, failed = 0, label }: { value: number; failed?: number; label: string }) {
  const pct = Math.max(0, Math.min(1, value));
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct * 100)}>
      <div className="progress-fill" style={{ width: `${pct * 100}%` }} />
      {failed > 0 && <div className="progress-failed" style={{ width: `${Math.min(1, failed) * 100}%` }} />}
    </div>
  );
}
