import { CsvError, parse } from 'csv-parse/sync';

export type CsvRow = { line: number; cells: Record<string, string> };
export type CsvRead = { ok: true; rows: CsvRow[]; separator: string } | { ok: false; problem: string };

const SEPARATORS = [',', ';', '\t'] as const;
export const SEPARATOR_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/**
 * The separator is the one the header row uses most. Excel writes the list separator of the computer's
 * region: a comma in English, a semicolon where the comma is the decimal mark (Indonesian), a tab for "Text".
 */
function separatorOf(text: string): string {
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const counts = SEPARATORS.map((s) => header.split(s).length - 1);
  const most = Math.max(...counts);
  return most === 0 ? ',' : SEPARATORS[counts.indexOf(most)]!;
}

/**
 * A spreadsheet's CSV as rows keyed by the header's names, each with the line of the file it starts on
 * (a quoted cell may hold line breaks; blank lines are skipped but still counted).
 */
export function readCsv(text: string): CsvRead {
  const separator = separatorOf(text);
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // csv-parse counts a CRLF inside a quoted cell as two lines: with LF alone, its count is the file's.
    records = parse(text.replace(/\r\n?/g, '\n'), {
      delimiter: separator,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) return { ok: false, problem: error.message };
    throw error;
  }
  const [header, ...body] = records;
  if (!header) return { ok: false, problem: 'empty file' };
  const names = header.record.map((h) => h.trim());
  return {
    ok: true,
    separator,
    rows: body
      .filter(({ record }) => record.some((c) => c.trim()))
      .map(({ record, info }) => ({
        // info.lines is the line the record ends on.
        line: info.lines - record.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0),
        cells: Object.fromEntries(names.map((h, i) => [h, record[i] ?? ''])),
      })),
  };
}
