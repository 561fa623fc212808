import fs from 'node:fs';
import path from 'node:path';
import type { RuleLoadError, RuleOrigin, RuleSource } from '../engine/types';

/** Where the shipped rules live under the resources folder. */
export const SHIPPED_FOLDERS: readonly { dir: string; origin: RuleOrigin }[] = [
  { dir: 'sigma/rules', origin: 'sigmahq' },
  { dir: 'rules/lariat', origin: 'lariat' },
];

/** A rule file bigger than this is refused (a rule is a few kilobytes; this stops a mistaken folder from eating memory). */
const MAX_RULE_BYTES = 1024 * 1024;
/** Files read from one folder at most. */
const MAX_FILES = 10_000;

/**
 * Reads every `.yml`/`.yaml` file under a folder (recursively, in sorted
 * order so rule order is stable). Unreadable or oversized files are
 * returned as load errors, never skipped in silence.
 */
export function readRuleFolder(root: string, origin: RuleOrigin): { sources: RuleSource[]; errors: RuleLoadError[] } {
  const sources: RuleSource[] = [];
  const errors: RuleLoadError[] = [];
  const fail = (p: string, error: string) => errors.push({ path: p, origin, id: null, title: null, error });
  let st: fs.Stats;
  try {
    st = fs.statSync(root);
  } catch {
    fail(root, 'the rule folder does not exist or cannot be read');
    return { sources, errors };
  }
  if (!st.isDirectory()) {
    fail(root, 'is not a folder');
    return { sources, errors };
  }
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (err) {
      fail(path.relative(root, dir) || '.', `cannot be read: ${(err as Error).message}`);
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      const rel = path.relative(root, full);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && /\.ya?ml$/i.test(e.name)) {
        if (sources.length >= MAX_FILES) return void fail(rel, `more than ${MAX_FILES} rule files in one folder; the rest were not read`);
        try {
          const size = fs.statSync(full).size;
          if (size > MAX_RULE_BYTES) fail(rel, `is ${size} bytes; a rule file may be at most ${MAX_RULE_BYTES}`);
          else sources.push({ path: origin === 'investigator' ? full : rel, origin, text: fs.readFileSync(full, 'utf8') });
        } catch (err) {
          fail(rel, `cannot be read: ${(err as Error).message}`);
        }
      }
    }
  };
  walk(root);
  return { sources, errors };
}

/** The shipped rules (SigmaHQ's CloudTrail set and Lariat's own) plus the investigator's folders, in that order. */
export function collectRuleSources(
  resourcesDir: string,
  investigatorFolders: readonly string[],
): { sources: RuleSource[]; errors: RuleLoadError[] } {
  const sources: RuleSource[] = [];
  const errors: RuleLoadError[] = [];
  for (const f of SHIPPED_FOLDERS) {
    const r = readRuleFolder(path.join(resourcesDir, f.dir), f.origin);
    sources.push(...r.sources);
    errors.push(...r.errors);
  }
  for (const dir of investigatorFolders) {
    const r = readRuleFolder(path.resolve(dir), 'investigator');
    sources.push(...r.sources);
    errors.push(...r.errors);
  }
  return { sources, errors };
}
