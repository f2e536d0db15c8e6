/**
 * Minimal CSV for Mirakl's files: a configurable delimiter (PC01 operator_csv_delimiter), double-quoted fields
 * with "" escapes, CRLF or LF line ends.
 */
export function parseCsv({ text, delimiter }: { text: string; delimiter: string }): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  const body = text.replace(/^\uFEFF/, "");
  while (i < body.length) {
    const ch = body[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === "") {
      quoted = true;
      i++;
    } else if (ch === delimiter) {
      row.push(field);
      field = "";
      i++;
    } else if (ch === "\n" || ch === "\r") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += ch === "\r" && body[i + 1] === "\n" ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export function toCsvLine({ values, delimiter }: { values: ReadonlyArray<string | number | boolean | null | undefined>; delimiter: string }): string {
  return values.map((v) => `"${String(v ?? "").replace(/"/g, '""')}"`).join(delimiter);
}
