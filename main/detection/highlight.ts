import type { HighlightRule } from '../../common/contract/timeline';
import { RuleSet } from './engine/rule-set';
import { LARIAT_HIGHLIGHT_SOURCES } from './rules/lariat-highlights.generated';

/**
 * The timeline's highlights as Sigma rules of the detection engine
 * (resources/rules/lariat/highlights/*.yml, embedded at build time so every
 * thread has them without reading files). Drop-in replacements for
 * main/timeline/highlights.ts: same exports, same signatures, same ids
 * (the rules' Sigma `name`), so the integrator only changes imports.
 */
let set: RuleSet | null = null;
const rules = (): RuleSet => (set ??= new RuleSet(LARIAT_HIGHLIGHT_SOURCES.map((s) => ({ ...s, origin: 'lariat' as const }))));

export const highlightRules: HighlightRule[] = rules().rules.map((r) => ({
  id: r.meta.name ?? r.meta.id,
  label: r.meta.title,
  explanation: r.meta.description,
}));

export const highlightIds = new Set(highlightRules.map((r) => r.id));

/** The highlight id (rule name) of the first Lariat highlight rule a CloudTrail record matches, or null. */
export function highlightFor(eventName: string | null, record: Record<string, unknown>): string | null {
  if (!eventName) return null;
  const first = rules().matchRecord(record)[0];
  return first === undefined ? null : highlightRules[first]!.id;
}
