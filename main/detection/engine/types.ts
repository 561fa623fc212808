/** Sigma's levels, least to most severe (the order `--level` filters by). */
export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

/** Where a rule came from: SigmaHQ's shipped set, Lariat's own, or an investigator's folder. */
export type RuleOrigin = 'sigmahq' | 'lariat' | 'investigator';

/**
 * A rule file's YAML documents as plain values, or why each could not be read; the whole file's reason when
 * it is not YAML at all (rule-docs.ts reads them). Structured-cloneable, so a thread can hand them to another.
 */
export type RuleDocs = { docs: ({ value: unknown } | { error: string })[] } | { error: string };

/** One rule file's text as read from disk (structured-cloneable, so it can be handed to a worker thread). */
export interface RuleSource {
  /** Path relative to its rule folder (shown in errors), e.g. `aws_root_account_usage.yml`. */
  path: string;
  origin: RuleOrigin;
  text: string;
  /** Its YAML documents, when another thread already read them (see rule-docs.ts); else read from `text`. */
  docs?: RuleDocs;
}

/** What every loaded rule carries into a hit: Sigma's metadata, and the DRL 1.1 attribution (author). */
export interface RuleMeta {
  id: string;
  /** Sigma `name` (how correlation rules refer to a rule); null when absent. */
  name: string | null;
  title: string;
  level: Level;
  status: string | null;
  author: string;
  description: string;
  falsepositives: string[];
  references: string[];
  tags: string[];
  /** ATT&CK technique ids from the tags (`attack.t1078.004` -> `T1078.004`). */
  techniques: string[];
  /** ATT&CK tactic short names from the tags (`attack.initial-access`). */
  tactics: string[];
  kind: 'detection' | 'correlation';
  origin: RuleOrigin;
  path: string;
  /** SHA-256 of the file text: a changed rule is a different rule version. */
  sha256: string;
}

/** A rule that could not be loaded, and why (never silently ignored). */
export interface RuleLoadError {
  path: string;
  origin: RuleOrigin;
  /** The rule id when the file got far enough to have one. */
  id: string | null;
  title: string | null;
  error: string;
}

/** Thrown while compiling one rule; the loader turns it into a RuleLoadError naming the rule. */
export class RuleError extends Error {
  override readonly name = 'RuleError';
}

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
