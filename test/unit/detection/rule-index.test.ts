import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventView } from '../../../main/detection/engine/fields';
import { RuleSet } from '../../../main/detection/engine/rule-set';
import { collectRuleSources } from '../../../main/detection/rules/sources';
import { ct, ruleSet, ruleYaml } from './helpers';

const FIXTURES = path.resolve('test/fixtures/detection');

/** What every rule says of the record when each is run on it, none skipped by an index: the answer the index must give. */
const everyRule = (set: RuleSet, record: unknown): number[] =>
  set.rules.flatMap((r, i) => (r.detection.test(new EventView(record)) ? [i] : []));

/** Every positive and negative example event of the shipped rules' fixtures. */
function fixtureEvents(): unknown[] {
  const out: unknown[] = [];
  for (const dir of fs.readdirSync(FIXTURES))
    for (const f of fs.readdirSync(path.join(FIXTURES, dir))) {
      const fx = JSON.parse(fs.readFileSync(path.join(FIXTURES, dir, f), 'utf8')) as { positive?: unknown[]; negative?: unknown[] };
      out.push(...(fx.positive ?? []), ...(fx.negative ?? []));
    }
  return out;
}

const rule = (id: string, detection: string) => ruleYaml(detection).replace('id: test-rule', `id: ${id}`).replace('Test rule', id);

describe('the rule index (rules looked up by eventName or by another field, not run on every event)', () => {
  it('gives, for every fixture event of the shipped rules, exactly the rules that match when every rule is run, in rule order', () => {
    const set = new RuleSet(collectRuleSources(path.resolve('resources'), []).sources);
    const events = fixtureEvents();
    expect(events.length).toBeGreaterThan(100);
    let hits = 0;
    for (const e of events) {
      const want = everyRule(set, e);
      hits += want.length;
      expect(set.matchRecord(e)).toEqual(want);
    }
    // The comparison is not vacuous: the fixtures fire rules, the shipped root-account rule among them (pinned on userIdentity.type).
    expect(hits).toBeGreaterThan(events.length / 3);
    const root = set.rules.findIndex((r) => r.meta.path.endsWith('aws_root_account_usage.yml'));
    expect(set.matchRecord(ct({ userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root' } }))).toContain(root);
  });

  it('looks a rule up by a field other than eventName, case-insensitively, and keeps rule order across both kinds', () => {
    const set = ruleSet([
      rule('by-type', '    selection:\n        userIdentity.type: Root\n    condition: selection'),
      rule('by-name', '    selection:\n        eventName: ListUsers\n    condition: selection'),
      rule(
        'by-code',
        '    selection:\n        errorCode:\n            - AccessDenied\n            - UnauthorizedOperation\n    condition: selection',
      ),
    ]);
    expect(set.errors).toEqual([]);
    expect(set.matchRecord(ct({ userIdentity: { type: 'ROOT' }, errorCode: 'accessdenied' }))).toEqual([0, 1, 2]);
    expect(set.matchRecord(ct({ errorCode: 'UnauthorizedOperation' }))).toEqual([1, 2]);
    expect(set.matchRecord(ct({ eventName: 'GetUser', userIdentity: { type: 'Root' } }))).toEqual([0]);
    expect(set.matchRecord(ct({ eventName: 'GetUser' }))).toEqual([]);
  });

  it('offers a rule once when a list-valued field holds its value twice, and still applies the rest of the rule', () => {
    const set = ruleSet([
      rule(
        'tagged',
        "    selection:\n        requestParameters.tags: prod\n        eventSource: 'ec2.amazonaws.com'\n    condition: selection",
      ),
    ]);
    expect(set.matchRecord(ct({ eventSource: 'ec2.amazonaws.com', requestParameters: { tags: ['prod', 'PROD', 'x'] } }))).toEqual([0]);
    expect(set.matchRecord(ct({ eventSource: 's3.amazonaws.com', requestParameters: { tags: ['prod'] } }))).toEqual([]);
  });

  it('runs on every event a rule that pins no field, or ORs different fields, or negates its pin', () => {
    const set = ruleSet([
      rule('either', '    a:\n        userIdentity.type: Root\n    b:\n        errorCode: AccessDenied\n    condition: a or b'),
      rule('not-root', '    a:\n        userIdentity.type: Root\n    condition: not a'),
      rule('wild', "    a:\n        userAgent|contains: 'boto'\n    condition: a"),
    ]);
    const records = [
      ct({ errorCode: 'AccessDenied' }),
      ct({ userIdentity: { type: 'Root' } }),
      ct({ userAgent: 'Boto3/1.34' }),
      ct({ eventName: 'Anything' }),
    ];
    for (const r of records) expect(set.matchRecord(r)).toEqual(everyRule(set, r));
    expect(records.map((r) => set.matchRecord(r))).toEqual([[0, 1], [0], [1, 2], [1]]);
  });
});
