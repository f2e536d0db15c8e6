/**
 * Minimal RFC 4180 CSV reading and writing for Mirakl files. Mirakl's files are `;`-separated by default, but the
 * delimiter is tenant configuration (PC01 features.operator_csv_delimiter: COMMA | SEMICOLON): reading detects it,
 * writing takes the tenant's (Mirakl reads an import with its configured delimiter only).
 */

export type CsvDelimiter = ";" | ",";

/**
 * The delimiter a tenant's files use, from PC01 `features.operator_csv_delimiter` (COMMA | SEMICOLON). Mirakl's
 * documented default is `;`, so a tenant that says nothing (or something we do not know) gets `;`.
 */
export function csvDelimiterFromPlatform(operatorCsvDelimiter: string | null | undefined): CsvDelimiter {
  return operatorCsvDelimiter?.trim().toUpperCase() === "COMMA" ? "," : ";";
}

/** Quote a field: always quoted (Mirakl's own templates quote headers), inner quotes doubled. */
export function quoteCsvField(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

export function formatCsvRow(fields: readonly string[], delimiter: CsvDelimiter = ";"): string {
  return fields.map(quoteCsvField).join(delimiter);
}

/** Count the candidate delimiters outside quotes on the first line. */
export function detectCsvDelimiter(text: string): CsvDelimiter {
  let inQuotes = false;
  let semicolons = 0;
  let commas = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      if (inQuotes && text[i + 1] === '"') i++;
      else inQuotes = !inQuotes;
    } else if (!inQuotes) {
      if (c === "\n" || c === "\r") break;
      if (c === ";") semicolons++;
      else if (c === ",") commas++;
    }
  }
  return commas > semicolons ? "," : ";";
}

/** Parse CSV text into rows of fields. Handles quotes, doubled quotes, CRLF/LF and newlines inside quotes. */
export function parseCsv(input: { text: string; delimiter?: CsvDelimiter }): string[][] {
  const text = input.text.replace(/^\uFEFF/, "");
  const delimiter = input.delimiter ?? detectCsvDelimiter(text);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let inQuotes = false;
  let fieldStarted = false;

  const endField = () => {
    row.push(field);
    field = "";
    fieldStarted = false;
  };
  const endRow = () => {
    endField();
    // Skip blank lines (a trailing newline, an empty line between records).
    if (!(row.length === 1 && row[0] === "")) rows.push(row);
    row = [];
  };

  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c === '"' && !fieldStarted) {
      inQuotes = true;
      fieldStarted = true;
    } else if (c === delimiter) {
      endField();
    } else if (c === "\r") {
      if (text[i + 1] === "\n") i++;
      endRow();
    } else if (c === "\n") {
      endRow();
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (field !== "" || row.length > 0 || fieldStarted) endRow();
  return rows;
}

/** Rows as objects keyed by the (trimmed, lower-cased) header names. */
export function parseCsvRecords(input: { text: string; delimiter?: CsvDelimiter }): { headers: string[]; records: Record<string, string>[] } {
  const rows = parseCsv(input);
  const [head, ...body] = rows;
  if (!head) return { headers: [], records: [] };
  const headers = head.map((h) => h.trim().toLowerCase());
  const records = body.map((cells) => {
    const rec: Record<string, string> = {};
    headers.forEach((h, i) => {
      rec[h] = cells[i] ?? "";
    });
    return rec;
  });
  return { headers, records };
}
