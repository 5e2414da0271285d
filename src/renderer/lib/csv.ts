// Enough CSV/TSV parsing to preview a spreadsheet's first rows before a job starts; the
// services parse the whole file properly (quotes, encodings, XLSX).

export function sniffDelimiter(firstLine: string): string {
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0]![0];
}

export function previewRows(text: string, maxRows: number): string[][] {
  const delimiter = sniffDelimiter(text.slice(0, text.indexOf('\n') >>> 0));
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length && rows.length < maxRows; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (rows.length < maxRows && (cell || row.length)) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
