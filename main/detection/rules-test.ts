import fs from 'node:fs';
import path from 'node:path';
import type { RulesTestReport } from '../../common/contract/detection';
import { correlate, type CorrelationEvent } from './engine/correlate';
import { isObj } from './engine/fields';
import type { RuleSet } from './engine/rule-set';
import type { RuleLoadError, RuleMeta } from './engine/types';

/** One fixture file: examples that must fire the rule, and examples that must not. */
interface Fixture {
  rule: string;
  positive: unknown[];
  negative: unknown[];
}

function readFixtures(dir: string): Map<string, { file: string; fixture: Fixture }> {
  const out = new Map<string, { file: string; fixture: Fixture }>();
  const walk = (d: string): void => {
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.json')) {
        try {
          const f = JSON.parse(fs.readFileSync(full, 'utf8')) as unknown;
          if (isObj(f) && typeof f.rule === 'string' && Array.isArray(f.positive) && Array.isArray(f.negative))
            out.set(f.rule, { file: path.relative(dir, full), fixture: { rule: f.rule, positive: f.positive, negative: f.negative } });
        } catch {
          // not a fixture
        }
      }
    }
  };
  walk(dir);
  return out;
}

/** Whether a correlation rule fires on a set of example events (base rules matched first, then the correlations). */
function correlationFires(set: RuleSet, metas: Map<string, RuleMeta>, ruleId: string, events: unknown[]): boolean {
  const byRule = new Map<string, CorrelationEvent[]>();
  events.forEach((record, i) => {
    const ts = isObj(record) && typeof record.eventTime === 'string' ? Date.parse(record.eventTime) : 0;
    for (const r of set.matchRecord(record)) {
      const id = set.rules[r]!.meta.id;
      const list = byRule.get(id) ?? [];
      list.push({ eventId: i + 1, ts, record });
      byRule.set(id, list);
    }
  });
  return correlate(set.correlations, metas, (id) => byRule.get(id) ?? []).some((h) => h.ruleId === ruleId);
}

/**
 * `lariat rules test`: every shipped rule (SigmaHQ's and Lariat's) against
 * the positive and negative example events of its fixture in `fixturesDir`.
 * A rule passes when every positive example fires it and no negative one
 * does; a rule without a fixture fails.
 */
export function rulesTest(set: RuleSet, notLoaded: RuleLoadError[], fixturesDir: string): RulesTestReport {
  const fixtures = readFixtures(fixturesDir);
  const metas = new Map(set.metas().map((m) => [m.id, m]));
  const rows: RulesTestReport['rules'] = [];
  const shipped = set.metas().filter((m) => m.origin !== 'investigator');
  for (const meta of shipped) {
    const fx = fixtures.get(meta.id);
    const base = { id: meta.id, title: meta.title, path: meta.path, origin: meta.origin, fixture: fx?.file ?? null };
    if (!fx || fx.fixture.positive.length === 0 || fx.fixture.negative.length === 0) {
      rows.push({
        ...base,
        positive: false,
        negative: false,
        passed: false,
        problem: fx ? 'the fixture needs positive and negative examples' : 'no fixture',
      });
      continue;
    }
    let positive: boolean;
    let negative: boolean;
    if (meta.kind === 'correlation') {
      positive = correlationFires(set, metas, meta.id, fx.fixture.positive);
      negative = !correlationFires(set, metas, meta.id, fx.fixture.negative);
    } else {
      const index = set.rules.findIndex((r) => r.meta.id === meta.id);
      positive = fx.fixture.positive.every((e) => set.matchRecord(e).includes(index));
      negative = fx.fixture.negative.every((e) => !set.matchRecord(e).includes(index));
    }
    const problem = !positive ? 'a positive example did not fire' : !negative ? 'a negative example fired' : null;
    rows.push({ ...base, positive, negative, passed: problem === null, problem });
  }
  const passed = rows.filter((r) => r.passed).length;
  return { rules: rows, passed, failed: rows.length - passed, notLoaded };
}
