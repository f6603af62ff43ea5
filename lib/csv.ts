// CSV cells for the exports: RFC 4180 quoting and spreadsheet formula neutralising
// (a text cell starting with = + - @ tab or CR is prefixed with ').

/** One CSV cell: neutralises formulas in text, then quotes when needed (quotes, commas, newlines). */
export function csvCell(value: string | number, { text = true }: { text?: boolean } = {}): string {
  let s = String(value);
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
