import { highlightRules } from '../timeline/highlights';
import { RuleSet } from './engine/rule-set';
import { LARIAT_HIGHLIGHT_SOURCES } from './rules/lariat-highlights.generated';

/**
 * The timeline's highlights as Sigma rules of the detection engine
 * (resources/rules/lariat/highlights/*.yml, embedded at build time so every
 * thread has them without reading files). The rule set is built on first
 * use: a process that only lists highlights never parses their YAML.
 */
let set: RuleSet | null = null;
const rules = (): RuleSet => (set ??= new RuleSet(LARIAT_HIGHLIGHT_SOURCES.map((s) => ({ ...s, origin: 'lariat' as const }))));

export { highlightRules };

/** The highlight id (rule name) of the first Lariat highlight rule a CloudTrail record matches, or null. */
export function highlightFor(eventName: string | null, record: Record<string, unknown>): string | null {
  if (!eventName) return null;
  const first = rules().matchRecord(record)[0];
  return first === undefined ? null : highlightRules[first]!.id;
}
