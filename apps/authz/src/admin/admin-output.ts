type Row = Record<string, unknown>;

const cell = (value: unknown): string =>
  value === undefined || value === null ? '-' : Array.isArray(value) ? value.join(' ') : String(value);

/** Rows as aligned columns (the columns of the first row), or a line saying there are none. */
export function table(rows: readonly Row[], columns: readonly string[], none: string): string {
  if (rows.length === 0) return none;
  const cells = rows.map((row) => columns.map((column) => cell(row[column])));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((line) => line[i].length)));
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(columns), ...cells.map(line)].join('\n');
}

/** One object as `key: value` lines. */
export function record(value: Row): string {
  const width = Math.max(...Object.keys(value).map((key) => key.length));
  return Object.entries(value)
    .filter(([, item]) => item !== undefined)
    .map(([key, item]) => {
      const shown =
        typeof item === 'object' && item !== null && !Array.isArray(item) ? JSON.stringify(item) : cell(item);
      return `${`${key}:`.padEnd(width + 1)} ${shown}`;
    })
    .join('\n');
}
