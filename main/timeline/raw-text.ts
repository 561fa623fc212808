import { RAW_LINE } from './importers/types';

/**
 * The text of a record that search sees: its JSON as it is in the file, unless
 * the file wrote it with escapes or line breaks (`\u00e9`, `\"`, pretty-printed),
 * in which case its canonical JSON (JSON.stringify of the parsed value), so that
 * "café" or "a b" match the same way whatever the exporter's spelling. The import
 * indexes this text and a search confirms its phrases against the same text,
 * re-read from the vault copy: both sides agree exactly.
 */
export function canonicalText(text: string, parsed?: unknown): string {
  if (text.indexOf('\\') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) return text;
  return JSON.stringify(parsed === undefined ? JSON.parse(text) : parsed);
}

/** Search text of a stored raw record by its kind (JSON or a flow log line). */
export function searchableRaw(kind: number, text: string): string {
  return kind === RAW_LINE ? text.trim() : canonicalText(text);
}
