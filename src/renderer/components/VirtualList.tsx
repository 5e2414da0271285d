// Hand-rolled windowing: fixed-height rows, only the visible ones (plus overscan) in the DOM.
import { useEffect, useState, type ReactNode } from 'react';

export interface VirtualListProps {
  count: number;
  rowHeight: number;
  height: number;
  overscan?: number;
  renderRow(index: number): ReactNode;
  onRange?(first: number, last: number): void;
  testId?: string;
}

export function VirtualList({ count, rowHeight, height, overscan = 6, renderRow, onRange, testId }: VirtualListProps) {
  const [scrollTop, setScrollTop] = useState(0);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  useEffect(() => onRange?.(first, last), [first, last, onRange]);
  const rows: ReactNode[] = [];
  for (let i = first; i <= last; i++) {
    rows.push(
      <div key={i} className="vrow" style={{ top: i * rowHeight, height: rowHeight }}>
        {renderRow(i)}
      </div>,
    );
  }
  return (
    <div className="vlist" style={{ height }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} data-testid={testId} role="list">
      <div style={{ height: count * rowHeight, position: 'relative' }}>{rows}</div>
    </div>
  );
}
