/**
 * A small RFC 4180 CSV reader and writer, for `--from FILE` and `--report FILE` of bulk commands.
 *
 * Contract:
 * - Fields are separated by `,`, records by CRLF or LF (a lone CR is accepted too). A field may be
 *   quoted with `"`; inside quotes `""` is one quote and separators and line breaks are data.
 * - The first record is the header. Every record must have as many fields as the header, except
 *   that blank lines are skipped. A trailing line break does not make an empty record.
 * - A quote inside an unquoted field, text after a closing quote or an unterminated quote is an
 *   error with its line number (exit 64). Never throws anything else.
 * - `formatCsv(parseCsv(x))` round-trips every table (quoting only where needed).
 */
import { AdctlError, ExitCode } from './errors.js';

export interface CsvTable {
  header: string[];
  rows: string[][];
}

function csvError(line: number, message: string): AdctlError {
  return new AdctlError('CSV_INVALID', `CSV line ${line}: ${message}`, ExitCode.USAGE, {
    hint: 'quote fields that contain commas, quotes or line breaks ("a ""quoted"" word"), and give every row as many fields as the header',
  });
}

/** Split into records of raw fields. */
export function parseCsvRecords(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a UTF-8 BOM is not data
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let wasQuoted = false; // the current field was written in quotes
  let inQuotes = false;
  let line = 1;
  const endRecord = () => {
    record.push(field);
    // A blank line is no record at all (but `""` on its own line is one empty field).
    if (!(record.length === 1 && field === '' && !wasQuoted)) records.push(record);
    record = [];
    field = '';
    wasQuoted = false;
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (inQuotes) {
      if (c !== '"') {
        if (c === '\n') line += 1;
        field += c;
      } else if (src[i + 1] === '"') {
        field += '"';
        i += 1;
      } else {
        inQuotes = false;
      }
      continue;
    }
    if (c === ',') {
      record.push(field);
      field = '';
      wasQuoted = false;
    } else if (c === '\n' || c === '\r') {
      endRecord();
      if (c === '\r' && src[i + 1] === '\n') i += 1;
      line += 1;
    } else if (c === '"') {
      if (field !== '' || wasQuoted) throw csvError(line, wasQuoted ? 'text after a closing quote' : 'a quote inside an unquoted field');
      inQuotes = true;
      wasQuoted = true;
    } else {
      if (wasQuoted) throw csvError(line, 'text after a closing quote');
      field += c;
    }
  }
  if (inQuotes) throw csvError(line, 'a quoted field is not closed');
  if (record.length > 0 || field !== '' || wasQuoted) endRecord();
  return records;
}

export function parseCsv(text: string): CsvTable {
  const records = parseCsvRecords(text);
  if (records.length === 0) return { header: [], rows: [] };
  const [header, ...rows] = records as [string[], ...string[][]];
  rows.forEach((r, k) => {
    if (r.length !== header.length) throw csvError(k + 2, `${r.length} fields, but the header has ${header.length}`);
  });
  return { header, rows };
}

function quote(field: string): string {
  return /[",\r\n]/.test(field) || field === '' ? `"${field.replace(/"/g, '""')}"` : field;
}

/** CRLF line ends, as RFC 4180 writes them. Empty fields are quoted so a one-column blank row survives. */
export function formatCsv(table: CsvTable): string {
  return [table.header, ...table.rows].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
}

/** Rows as objects keyed by header name. */
export function csvObjects(table: CsvTable): Array<Record<string, string>> {
  return table.rows.map((r) => Object.fromEntries(table.header.map((h, i) => [h.trim(), r[i] ?? ''])));
}
