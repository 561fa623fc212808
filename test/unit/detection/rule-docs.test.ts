import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuleSet } from '../../../main/detection/engine/rule-set';
import { readRuleDocs, ruleDocsOf, withDocs } from '../../../main/detection/engine/rule-docs';
import type { RuleSource } from '../../../main/detection/engine/types';
import { collectRuleSources } from '../../../main/detection/rules/sources';
import { SHARED_ROOT, ct, laughs, ruleYaml } from './helpers';

// The parse thread builds the import's rules from the YAML documents the main thread already read (handed over
// by postMessage, a structured clone) instead of reading the YAML again. The rules it builds must be the same,
// rule for rule and hit for hit, or hits would name the wrong rules: rule indexes are shared between the threads.

const sel = (body: string) => `    selection:\n${body}\n    condition: selection`;
/** Files that do not load, or load oddly: each must come out of both paths the same. */
const hostile: string[] = [
  'title: [unclosed',
  `${laughs()}\n${ruleYaml(sel('        eventName: x')).replace('id: test-rule', 'id: bomb')}`,
  ruleYaml(sel(`        eventName: ${'['.repeat(20_000)}x${']'.repeat(20_000)}`)).replace('id: test-rule', 'id: deep'),
  `${ruleYaml(sel('        eventName: ListUsers')).replace('id: test-rule', 'id: first')}\n---\nkey: [a\n---\n${ruleYaml(sel('        eventName: GetUser')).replace('id: test-rule', 'id: third')}\n---\n`,
  ruleYaml(sel('        eventVersion: 1.09')).replace('id: test-rule', 'id: float'),
  'just a string',
  ruleYaml(sel('        eventName: x'), 'title: twice\n'),
];

function sources(): RuleSource[] {
  const shipped = collectRuleSources(path.resolve('resources'), []).sources;
  return [...shipped, ...hostile.map((text, i) => ({ path: `h${i}.yml`, origin: 'investigator' as const, text }))];
}

/** Every record of the shared CloudTrail samples. */
function records(): unknown[] {
  const out: unknown[] = [ct(), ct({ eventVersion: '1.09', eventName: 'GetUser' }), ct({ userIdentity: { type: 'Root' } })];
  for (const dir of ['data/cloudtrail/panther', 'data/cloudtrail/otrf']) {
    const root = path.join(SHARED_ROOT, dir);
    for (const name of fs.readdirSync(root).filter((n) => n.endsWith('.json'))) {
      const text = fs.readFileSync(path.join(root, name), 'utf8');
      try {
        const doc = JSON.parse(text) as { Records?: unknown[] };
        out.push(...(Array.isArray(doc.Records) ? doc.Records : [doc]));
      } catch {
        for (const line of text.split('\n')) if (line.trim()) out.push(JSON.parse(line));
      }
    }
  }
  return out;
}

const describeSet = (set: RuleSet) => ({
  rules: set.rules.map((r) => r.meta),
  errors: set.errors,
  disabled: set.disabled,
  correlations: set.correlations.map((c) => c.meta),
  supporting: [...set.supporting],
});

describe('rules built from documents read on another thread', () => {
  it('are the rules built from the text: same metadata, errors and hits on every shared CloudTrail record', () => {
    const src = sources();
    const here = new RuleSet(src, { disabled: ['aws_root_account_usage'] });
    // What the parse thread receives: the sources with their documents, through a structured clone.
    const handed = structuredClone(withDocs(src));
    expect(handed.filter((s) => s.docs).length).toBe(src.length);
    const there = new RuleSet(handed, { disabled: ['aws_root_account_usage'] });
    expect(describeSet(there)).toEqual(describeSet(here));
    expect(here.rules.length).toBeGreaterThan(20);
    expect(here.errors.length).toBeGreaterThanOrEqual(5);
    const all = records();
    expect(all.length).toBeGreaterThan(500);
    let hits = 0;
    for (const r of all) {
      const a = here.matchRecord(r);
      expect(there.matchRecord(r)).toEqual(a);
      hits += a.length;
    }
    expect(hits).toBeGreaterThan(10);
  });

  it('are read from the documents, not the text, when the documents are given', () => {
    const docs = readRuleDocs(ruleYaml(sel('        eventName: GetUser')));
    const set = new RuleSet([{ path: 'r.yml', origin: 'investigator', text: ruleYaml(sel('        eventName: ListUsers')), docs }]);
    expect(set.matchRecord(ct({ eventName: 'GetUser' }))).toEqual([0]);
    expect(set.matchRecord(ct({ eventName: 'ListUsers' }))).toEqual([]);
  });

  it('a file never read on this thread is handed over as text, and read there', () => {
    const text = ruleYaml(sel('        eventName: NeverReadHere')).replace('id: test-rule', 'id: never-read');
    const [handed] = withDocs([{ path: 'n.yml', origin: 'investigator', text }]);
    expect(handed!.docs).toBeUndefined();
    expect(new RuleSet([handed!]).matchRecord(ct({ eventName: 'NeverReadHere' }))).toEqual([0]);
  });

  it('what compiling does to the documents read here does not reach what is handed over', () => {
    const text = ruleYaml(sel('        eventName: Kept')).replace('id: test-rule', 'id: kept-copy');
    const src: RuleSource = { path: 'k.yml', origin: 'investigator', text };
    // The documents this thread compiles from, as parseRuleFile gets them.
    const used = ruleDocsOf(src) as { docs: { value: { detection: { selection: { eventName: string } } } }[] };
    used.docs[0]!.value.detection.selection.eventName = 'Changed';
    const [handed] = withDocs([src]);
    expect(new RuleSet([handed!]).matchRecord(ct({ eventName: 'Kept' }))).toEqual([0]);
  });
});
