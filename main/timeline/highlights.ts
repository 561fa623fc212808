import type { HighlightRule } from '../../common/contract/timeline';
import { LARIAT_HIGHLIGHT_RULES } from '../detection/rules/lariat-highlights.generated';

/**
 * The timeline's highlights: Lariat's own Sigma rules (resources/rules/lariat/highlights), run by
 * the detection engine (main/detection/highlight.ts). What is listed here is their id, label and
 * explanation, read from the YAML at build time: listing or filtering highlights (the CLI's quick
 * query path, the app's filter, plans) loads neither the YAML parser nor the rule engine.
 */
export const highlightRules: HighlightRule[] = LARIAT_HIGHLIGHT_RULES.map((r) => ({ ...r }));

export const highlightIds = new Set(highlightRules.map((r) => r.id));
