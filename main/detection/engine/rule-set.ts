import { PREFIX, type CompiledDetection } from './detection';
import { EventView, isObj } from './fields';
import { parseRuleFile, type ParsedCorrelationRule } from './rule-parse';
import { correlationFields, firstText, firstValue, resolveCorrelations, type ResolvedCorrelation } from './correlate';
import type { RuleLoadError, RuleMeta, RuleSource } from './types';

/** A loaded detection rule: its metadata and its compiled test. */
export interface LoadedRule {
  meta: RuleMeta;
  detection: CompiledDetection;
}

/** One event handed to `matchBatch`: its id and its record, parsed or as JSON text (string or UTF-8 bytes). */
export interface BatchEvent {
  id: number;
  raw: unknown;
  /** The timeline source; rules match CloudTrail only, so other sources are skipped. Absent: treated as CloudTrail. */
  source?: string;
}

/**
 * The values a hit keeps for the correlation rules: one per field of `RuleSet.correlationFields[rule]`, in
 * that order; null (or absent) when the rule feeds no correlation or the values were not taken.
 */
export type HitValues = (string | null)[] | null;

/** A rule matched an event: `rule` indexes `RuleSet.rules`. */
export interface BatchHit {
  eventId: number;
  rule: number;
  values?: HitValues;
  /** With `values`: the event's stored time. */
  ts?: number;
}

const decoder = new TextDecoder();

/**
 * Every enabled rule compiled once, with an index from eventName to the rules
 * that pin it: an event is tested only against the rules that can match its
 * eventName, plus the few rules that pin none. Pure (no database, no files):
 * it runs on the main thread, on the parse thread, or in a benchmark alike.
 */
export class RuleSet {
  readonly rules: LoadedRule[] = [];
  /** Correlation rules whose references resolved, in the order they run. */
  readonly correlations: ResolvedCorrelation[] = [];
  /**
   * Rules that only feed correlations (named by a correlation with `generate: false`, Sigma's default, and by
   * none with `generate: true`): their hits are kept to link events, but they are not detections in their own right.
   */
  readonly supporting = new Set<string>();
  readonly errors: RuleLoadError[] = [];
  /** Rules loaded but switched off by the investigator (not matched). */
  readonly disabled: RuleMeta[] = [];
  private readonly byName = new Map<string, LoadedRule[]>();
  private readonly unpinned: LoadedRule[] = [];
  /**
   * Rules that pin no eventName but another field's exact values (`userIdentity.type: Root`): per field, per
   * lower-cased value, the rules. An event is tested against them only when it holds one of those values.
   */
  private readonly byField = new Map<string, Map<string, number[]>>();
  /** `byField` as a list: walked for every record, and a Map's entry iteration allocates per entry. */
  private readonly fieldPins: { field: string; values: Map<string, number[]> }[] = [];
  private readonly prefixed: { prefix: string; rule: LoadedRule }[] = [];
  private readonly index = new Map<LoadedRule, number>();
  /** The view `matchRecord` moves from record to record (matching is synchronous, one record at a time). */
  private readonly view = new EventView();
  /** Candidate rule indexes per exact eventName string, so an event costs one map lookup. */
  private readonly candidates = new Map<string, number[]>();
  /**
   * Per rule (same index as `rules`): the record fields correlation rules read from its events, or null
   * when no correlation names it. Hits keep these values (`correlationValues`) where the record is parsed.
   */
  readonly correlationFields: (string[] | null)[] = [];

  constructor(sources: readonly RuleSource[], options: { disabled?: Iterable<string> } = {}) {
    const off = new Set(options.disabled ?? []);
    const seen = new Map<string, RuleMeta>();
    const correlations: ParsedCorrelationRule[] = [];
    const claim = (meta: RuleMeta): boolean => {
      const prior = seen.get(meta.id) ?? (meta.name ? seen.get(`name:${meta.name}`) : undefined);
      if (prior) {
        this.errors.push({
          path: meta.path,
          origin: meta.origin,
          id: meta.id,
          title: meta.title,
          error: `${prior.id === meta.id ? `id ${meta.id}` : `name ${meta.name}`} is already used by ${prior.origin} rule ${prior.path}`,
        });
        return false;
      }
      seen.set(meta.id, meta);
      if (meta.name) seen.set(`name:${meta.name}`, meta);
      return true;
    };
    for (const src of sources) {
      const parsed = parseRuleFile(src);
      this.errors.push(...parsed.errors);
      for (const r of parsed.detections) {
        if (!claim(r.meta)) continue;
        if (off.has(r.meta.id)) this.disabled.push(r.meta);
        else this.add(r);
      }
      for (const c of parsed.correlations) {
        if (!claim(c.meta)) continue;
        if (off.has(c.meta.id)) this.disabled.push(c.meta);
        else correlations.push(c);
      }
    }
    const resolved = resolveCorrelations(
      correlations,
      this.rules.map((r) => r.meta),
    );
    this.errors.push(...resolved.errors);
    this.correlations.push(...resolved.ordered);
    const generated = new Set<string>();
    for (const c of this.correlations) for (const id of c.refs) (c.def.generate ? generated : this.supporting).add(id);
    for (const id of generated) this.supporting.delete(id);
    const fields = correlationFields(this.correlations, new Map(this.metas().map((m) => [m.id, m])));
    this.correlationFields = this.rules.map((r) => fields.get(r.meta.id) ?? null);
  }

  /** True when some rule feeds a correlation (so hits are worth keeping values for). */
  get keepsValues(): boolean {
    return this.correlationFields.some((f) => f !== null);
  }

  /** For each hit of `record` (rule indexes from `matchRecord`): the values correlations read, see `correlationFields`. */
  correlationValues(record: unknown, hits: readonly number[]): HitValues[] {
    // Right after `matchRecord(record)` the view still holds the fields the rules read: reuse them.
    const read = this.view.record === record ? (f: string) => firstText(this.view.values(f)) : (f: string) => firstValue(record, f);
    return hits.map((rule) => this.correlationFields[rule]?.map(read) ?? null);
  }

  private add(rule: LoadedRule): void {
    this.index.set(rule, this.rules.length);
    this.rules.push(rule);
    const pin = rule.detection.pin;
    if (rule.detection.eventNames === null && pin) {
      let values = this.byField.get(pin.field);
      if (!values) {
        this.byField.set(pin.field, (values = new Map()));
        this.fieldPins.push({ field: pin.field, values });
      }
      for (const v of pin.values) values.set(v, [...(values.get(v) ?? []), this.rules.length - 1]);
    } else if (rule.detection.eventNames === null) this.unpinned.push(rule);
    else
      for (const n of rule.detection.eventNames) {
        if (n.startsWith(PREFIX)) {
          this.prefixed.push({ prefix: n.slice(PREFIX.length), rule });
          continue;
        }
        const list = this.byName.get(n) ?? [];
        list.push(rule);
        this.byName.set(n, list);
      }
  }

  private candidatesFor(eventName: unknown): number[] {
    const key = typeof eventName === 'string' ? eventName : '';
    let list = this.candidates.get(key);
    if (!list) {
      const lower = key.toLowerCase();
      const pinned = new Set([
        ...(this.byName.get(lower) ?? []),
        ...this.prefixed.filter((p) => lower.startsWith(p.prefix)).map((p) => p.rule),
      ]);
      // Keep rule order (file order) so "first match" is stable.
      list = [...pinned, ...this.unpinned].map((r) => this.index.get(r)!).sort((a, b) => a - b);
      if (this.candidates.size < 10_000) this.candidates.set(key, list);
    }
    return list;
  }

  /** Indexes (into `rules`) of every rule the record matches, in rule order. */
  matchRecord(record: unknown): number[] {
    if (!isObj(record)) return [];
    const list = this.candidatesFor(record.eventName);
    const pins = this.fieldPins;
    if (list.length === 0 && pins.length === 0) return [];
    const view = this.view.reset(record);
    const rules = this.rules;
    const out: number[] = [];
    for (let k = 0; k < list.length; k++) if (rules[list[k]!]!.detection.test(view)) out.push(list[k]!);
    const before = out.length;
    for (let p = 0; p < pins.length; p++) {
      const texts = view.lowerText(pins[p]!.field);
      for (let t = 0; t < texts.length; t++) {
        const text = texts[t];
        const found = text === null || text === undefined ? undefined : pins[p]!.values.get(text);
        if (found)
          for (const i of found) {
            // A field holding a value twice (a list) offers its rules twice.
            if (!out.includes(i) && rules[i]!.detection.test(view)) out.push(i);
          }
      }
    }
    // Rule order (file order), as the eventName lists keep it, when both kinds matched.
    if (before > 0 && out.length > before) out.sort((x, y) => x - y);
    return out;
  }

  /** Matches a batch of events (records parsed, or JSON text); unparseable text matches nothing. */
  matchBatch(events: readonly BatchEvent[]): BatchHit[] {
    const hits: BatchHit[] = [];
    for (const e of events) {
      if (e.source !== undefined && e.source !== 'cloudtrail') continue;
      let record = e.raw;
      if (typeof record === 'string' || record instanceof Uint8Array) {
        try {
          record = JSON.parse(typeof record === 'string' ? record : decoder.decode(record));
        } catch {
          continue;
        }
      }
      for (const rule of this.matchRecord(record)) hits.push({ eventId: e.id, rule });
    }
    return hits;
  }

  /** Every loaded rule's metadata (detections then correlations). */
  metas(): RuleMeta[] {
    return [...this.rules.map((r) => r.meta), ...this.correlations.map((c) => c.meta)];
  }
}
