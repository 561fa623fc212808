import { parseAllDocuments } from 'yaml';
import { RuleError, type RuleDocs, type RuleSource } from './types';

/**
 * Sigma compares values as text, so a float is kept as written (`15.0` stays
 * "15.0", where YAML would make it the number 15 and print it "15").
 */
const floatAsText = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+)$/,
  resolve: (text: string) => text,
};

/** What refused a rule: our own checks' words, or what the YAML reader said and what that usually means. */
export function ruleErrorText(err: unknown): string {
  if (err instanceof RuleError) return err.message;
  const message = err instanceof Error ? err.message : String(err);
  if (/alias count/i.test(message)) return `cannot be read: too many YAML aliases (${message}); a rule needs none, or a few`;
  if (err instanceof RangeError && /call stack/i.test(message)) return `cannot be read: nested too deeply (${message})`;
  return `cannot be read: ${message}`;
}

/**
 * Reads a rule file's YAML documents. The parse thread is handed those the main thread already read instead of
 * reading the YAML again: a cold YAML reader took ~170 ms of CPU there for the shipped rules, at every import.
 */
export function readRuleDocs(text: string): RuleDocs {
  let docs;
  try {
    docs = parseAllDocuments(text, {
      uniqueKeys: true,
      prettyErrors: false,
      customTags: (tags) => [floatAsText, ...tags.filter((t) => typeof t === 'string' || t.tag !== floatAsText.tag)],
    });
  } catch (err) {
    return { error: `not YAML: ${(err as Error).message}` };
  }
  return {
    docs: (Array.isArray(docs) ? docs : [docs]).map((d) => {
      if (d.errors.length) return { error: `not valid YAML: ${d.errors[0]!.message.split('\n')[0]}` };
      try {
        return { value: d.toJS({ maxAliasCount: 100 }) as unknown };
      } catch (err) {
        return { error: ruleErrorText(err) };
      }
    }),
  };
}

/** Documents read on this thread, by file text: a copy, taken before anything compiled from them could change them. */
const read = new Map<string, RuleDocs>();
const READ_KEPT = 4096;

/** A file's documents: handed over with the source, or read here (and kept, for `withDocs`). */
export function ruleDocsOf(src: RuleSource): RuleDocs {
  if (src.docs) return src.docs;
  const docs = readRuleDocs(src.text);
  if (read.size >= READ_KEPT) read.clear();
  try {
    read.set(src.text, structuredClone(docs));
  } catch {
    // not kept (nothing YAML yields fails to clone, but nesting could exhaust the stack): the other thread reads the text
  }
  return docs;
}

/** The sources with the documents this thread already read attached, for a thread that would read them again. */
export function withDocs(sources: readonly RuleSource[]): RuleSource[] {
  return sources.map((s) => {
    const docs = read.get(s.text);
    return docs ? { ...s, docs } : s;
  });
}
