import { createHash } from 'node:crypto';
import { compileDetection, type CompiledDetection } from './detection';
import { parseCorrelation, type CorrelationDef } from './correlation-def';
import { isObj } from './fields';
import { ruleDocsOf, ruleErrorText } from './rule-docs';
import { LEVELS, RuleError, type Level, type RuleLoadError, type RuleMeta, type RuleSource } from './types';

export interface ParsedDetectionRule {
  meta: RuleMeta;
  detection: CompiledDetection;
}

export interface ParsedCorrelationRule {
  meta: RuleMeta;
  correlation: CorrelationDef;
}

export interface ParsedFile {
  detections: ParsedDetectionRule[];
  correlations: ParsedCorrelationRule[];
  errors: RuleLoadError[];
}

const strList = (v: unknown, what: string): string[] => {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.map(String);
  throw new RuleError(`${what} must be a list of strings`);
};

/** `attack.t1078.004` -> `T1078.004`; `attack.initial-access` -> tactic. Other tags (cve., detection.) are kept as tags only. */
export function attackOf(tags: string[]): { techniques: string[]; tactics: string[] } {
  const techniques: string[] = [];
  const tactics: string[] = [];
  for (const t of tags) {
    const m = /^attack\.(t\d{4}(?:\.\d{3})?)$/i.exec(t);
    if (m) techniques.push(m[1]!.toUpperCase());
    else if (/^attack\.[a-z][a-z-]+$/i.test(t) && !/^attack\.(g|s)\d{4}$/i.test(t))
      tactics.push(t.slice(7).toLowerCase().replace(/_/g, '-'));
  }
  return { techniques: [...new Set(techniques)], tactics: [...new Set(tactics)] };
}

/**
 * Only CloudTrail records reach the engine, so a rule must be written for
 * them: `product: aws` with `service: cloudtrail` (or no service).
 */
function checkLogsource(ls: unknown): void {
  if (!isObj(ls)) throw new RuleError('logsource is missing');
  if (ls.category !== undefined)
    throw new RuleError(`logsource.category "${String(ls.category)}" is not a log Lariat matches (CloudTrail only)`);
  if (String(ls.product ?? '').toLowerCase() !== 'aws')
    throw new RuleError(`logsource.product "${String(ls.product)}" is not a log Lariat matches (product aws, service cloudtrail)`);
  if (ls.service !== undefined && String(ls.service).toLowerCase() !== 'cloudtrail')
    throw new RuleError(`logsource.service "${String(ls.service)}" is not a log Lariat matches (CloudTrail only)`);
}

function metaOf(doc: Record<string, unknown>, src: RuleSource, sha256: string, index: number, kind: RuleMeta['kind']): RuleMeta {
  const title = doc.title;
  if (typeof title !== 'string' || title.trim() === '') throw new RuleError('title is missing');
  const name = typeof doc.name === 'string' && doc.name !== '' ? doc.name : null;
  const id = typeof doc.id === 'string' && doc.id !== '' ? doc.id : (name ?? `${src.origin}:${src.path}${index ? `#${index + 1}` : ''}`);
  const level = doc.level === undefined ? 'medium' : String(doc.level).toLowerCase();
  if (!(LEVELS as readonly string[]).includes(level))
    throw new RuleError(`level "${String(doc.level)}" is not one of ${LEVELS.join(', ')}`);
  const status = typeof doc.status === 'string' ? doc.status : null;
  if (status === 'deprecated' || status === 'unsupported') throw new RuleError(`status is "${status}": the rule is not meant to be run`);
  const tags = strList(doc.tags, 'tags');
  const author = typeof doc.author === 'string' && doc.author.trim() !== '' ? doc.author.trim() : 'unknown author';
  return {
    id,
    name,
    title: title.trim(),
    level: level as Level,
    status,
    author,
    description: typeof doc.description === 'string' ? doc.description.trim() : '',
    falsepositives: strList(doc.falsepositives, 'falsepositives'),
    references: strList(doc.references, 'references'),
    tags,
    ...attackOf(tags),
    kind,
    origin: src.origin,
    path: src.path,
    sha256,
  };
}

/** Parses one rule file (one or more YAML documents); every rule that cannot be used comes back as an error naming it. */
export function parseRuleFile(src: RuleSource): ParsedFile {
  const out: ParsedFile = { detections: [], correlations: [], errors: [] };
  const sha256 = createHash('sha256').update(src.text).digest('hex');
  const read = ruleDocsOf(src);
  if ('error' in read) {
    out.errors.push({ path: src.path, origin: src.origin, id: null, title: null, error: read.error });
    return out;
  }
  read.docs.forEach((d, index) => {
    let id: string | null = null;
    let title: string | null = null;
    try {
      if ('error' in d) throw new RuleError(d.error);
      const doc = d.value;
      if (doc === null || doc === undefined) return; // an empty document (trailing ---)
      if (!isObj(doc)) throw new RuleError('a rule is a YAML map');
      id = typeof doc.id === 'string' ? doc.id : null;
      title = typeof doc.title === 'string' ? doc.title : null;
      if ('action' in doc) throw new RuleError('rule collections (action: global/reset/repeat) are not supported; write each rule in full');
      if ('correlation' in doc) {
        const meta = metaOf(doc, src, sha256, index, 'correlation');
        out.correlations.push({ meta, correlation: parseCorrelation(doc.correlation) });
        return;
      }
      checkLogsource(doc.logsource);
      const meta = metaOf(doc, src, sha256, index, 'detection');
      out.detections.push({ meta, detection: compileDetection(doc.detection) });
    } catch (err) {
      // A rule file is input: whatever it makes the reader throw (a YAML alias bomb, nesting past the stack) refuses
      // that rule, named, and the others load. It used to end the command as an unexpected error.
      out.errors.push({ path: src.path, origin: src.origin, id, title, error: ruleErrorText(err) });
    }
  });
  return out;
}
