/**
 * CSV as merchants' spreadsheets write it (RFC 4180 plus what Excel and Google Sheets actually produce): a UTF-8
 * BOM, `,` or `;` as separator (European Excel saves with `;`), CRLF or LF, quoted fields with doubled quotes and
 * newlines inside. Unlike app/mirakl/csv.ts (Mirakl's own files), every record keeps its spreadsheet row number and
 * a broken record is reported instead of silently merged, because the import screen must say which row is wrong.
 */

export type Delimiter = "," | ";";

export interface CsvRecord {
  /** Spreadsheet row number: the header is row 1, the first data row is row 2. */
  row: number;
  cells: string[];
  /** Set when the record cannot be trusted (an opening quote never closed, text after a closing quote). */
  problem?: string;
}

/** The delimiter of the header line: whichever of `,` and `;` appears more often outside quotes. */
export function detectDelimiter(text: string): Delimiter {
  let inQuotes = false;
  let commas = 0;
  let semicolons = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === "\n" || c === "\r")) break;
    else if (!inQuotes && c === ",") commas++;
    else if (!inQuotes && c === ";") semicolons++;
  }
  return semicolons > commas ? ";" : ",";
}

/** Parses every record; blank lines are skipped but still counted, so row numbers match the spreadsheet. */
export function parseCsv(input: string, delimiter: Delimiter = detectDelimiter(input.replace(/^\uFEFF/, ""))): CsvRecord[] {
  const text = input.replace(/^\uFEFF/, "");
  const records: CsvRecord[] = [];
  let row = 1;
  let i = 0;
  while (i < text.length) {
    const startRow = row;
    const cells: string[] = [];
    let problem: string | undefined;
    let field = "";
    let endOfRecord = false;
    while (!endOfRecord) {
      // One field.
      field = "";
      if (text[i] === '"') {
        i++;
        let closed = false;
        while (i < text.length) {
          const c = text[i] as string;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === "\n") row++;
          field += c;
          i++;
        }
        if (!closed) problem ??= "a quoted value is never closed (an opening \" without its closing \")";
        // Anything between the closing quote and the next delimiter is not valid CSV: keep it, but flag the row.
        while (i < text.length && text[i] !== delimiter && text[i] !== "\n" && text[i] !== "\r") {
          problem ??= "text follows a closing quote";
          field += text[i];
          i++;
        }
      } else {
        while (i < text.length && text[i] !== delimiter && text[i] !== "\n" && text[i] !== "\r") {
          field += text[i];
          i++;
        }
      }
      cells.push(field);
      if (i >= text.length) {
        endOfRecord = true;
      } else if (text[i] === delimiter) {
        i++;
      } else {
        // \r\n, \n or a lone \r ends the record.
        if (text[i] === "\r" && text[i + 1] === "\n") i++;
        i++;
        row++;
        endOfRecord = true;
      }
    }
    const blank = cells.length === 1 && cells[0] === "" && !problem;
    if (!blank) records.push(problem ? { row: startRow, cells, problem } : { row: startRow, cells });
  }
  return records;
}

/**
 * A cell beginning with = + - @ (or a tab / carriage return) is run as a formula by spreadsheet software: offer titles
 * come from the marketplace, so they are neutralised with a leading apostrophe (OWASP "CSV injection").
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function formatCell(value: string | number | null | undefined): string {
  let v = value === null || value === undefined ? "" : String(value);
  if (FORMULA_START.test(v)) v = `'${v}`;
  return /[",;\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Undoes formatCell's apostrophe, so an exported file imports back unchanged. */
export function readCell(value: string): string {
  const v = value.trim();
  return v.length > 1 && v.startsWith("'") && FORMULA_START.test(v.slice(1)) ? v.slice(1) : v;
}

export function formatRow(values: ReadonlyArray<string | number | null | undefined>, delimiter: Delimiter = ","): string {
  return values.map(formatCell).join(delimiter);
}
