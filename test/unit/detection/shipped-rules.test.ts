import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRuleSources } from '../../../main/detection/rules/sources';
import { RuleSet } from '../../../main/detection/engine/rule-set';
import { rulesTest } from '../../../main/detection/rules-test';
import { highlightFor as timelineHighlight, highlightRules as timelineRules } from './hand-written-highlights';
import { highlightFor, highlightRules } from '../../../main/detection/highlight';
import { LARIAT_HIGHLIGHT_RULES, LARIAT_HIGHLIGHT_SOURCES } from '../../../main/detection/rules/lariat-highlights.generated';
import { SHARED_ROOT } from './helpers';

const RESOURCES = path.resolve('resources');
const FIXTURES = path.resolve('test/fixtures/detection');
const SHARED = path.join(SHARED_ROOT, 'data/cloudtrail');

const load = () => {
  const { sources, errors } = collectRuleSources(RESOURCES, []);
  return { set: new RuleSet(sources), errors };
};

describe('shipped rules', () => {
  it('all 57 SigmaHQ CloudTrail rules load, with author, link and the DRL 1.1 licence beside them', () => {
    const { set, errors } = load();
    expect(errors).toEqual([]);
    expect(set.errors).toEqual([]);
    const sigma = set.rules.filter((r) => r.meta.origin === 'sigmahq');
    expect(sigma).toHaveLength(57);
    expect(fs.readdirSync(path.join(RESOURCES, 'sigma/rules/cloud/aws/cloudtrail'))).toHaveLength(57);
    for (const r of sigma) expect(r.meta.author, r.meta.path).not.toBe('unknown author');
    expect(fs.readFileSync(path.join(RESOURCES, 'sigma/LICENSE.Detection.Rules.md'), 'utf8')).toMatch(
      /Detection Rule License \(DRL\) 1\.1/,
    );
    expect(fs.readFileSync(path.join(RESOURCES, 'sigma/README.md'), 'utf8')).toMatch(/SigmaHQ\/sigma/);
    // The shipped copies are SigmaHQ's files unchanged.
    for (const f of fs.readdirSync(path.join(SHARED, '../../sigma/rules/cloud/aws/cloudtrail')))
      expect(fs.readFileSync(path.join(RESOURCES, 'sigma/rules/cloud/aws/cloudtrail', f), 'utf8')).toBe(
        fs.readFileSync(path.join(SHARED, '../../sigma/rules/cloud/aws/cloudtrail', f), 'utf8'),
      );
  });

  it('every shipped rule passes its positive and negative fixture (what `lariat rules test` prints)', () => {
    const { set } = load();
    const report = rulesTest(set, [], FIXTURES);
    expect(report.rules.filter((r) => !r.passed)).toEqual([]);
    expect(report.passed).toBe(set.rules.length + set.correlations.length);
    expect(report.passed).toBe(57 + 13 + 4);
  });

  it('a fixture that no longer fits its rule is reported, naming the rule', () => {
    const dir = fs.mkdtempSync(path.join(fs.mkdtempSync('/tmp/lariat-fx-'), 'f'));
    const fx = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'sigmahq/aws_enum_buckets.json'), 'utf8')) as {
      negative: unknown[];
      positive: unknown[];
    };
    fs.writeFileSync(path.join(dir, 'swap.json'), JSON.stringify({ ...fx, positive: fx.negative, negative: fx.positive }));
    const report = rulesTest(load().set, [], dir);
    const row = report.rules.find((r) => r.path === 'cloud/aws/cloudtrail/aws_enum_buckets.yml')!;
    expect(row).toMatchObject({ passed: false, problem: 'a positive example did not fire' });
    expect(report.rules.find((r) => r.path.endsWith('aws_root_account_usage.yml'))!.problem).toBe('no fixture');
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });
});

describe('highlights as Sigma rules', () => {
  it('the embedded copy is the YAML in resources/rules/lariat/highlights (re-run scripts/embed-lariat-rules.mjs after an edit)', () => {
    const dir = path.join(RESOURCES, 'rules/lariat/highlights');
    const files = fs.readdirSync(dir).sort();
    expect(LARIAT_HIGHLIGHT_SOURCES.map((s) => s.path)).toEqual(files);
    for (const s of LARIAT_HIGHLIGHT_SOURCES) expect(s.text).toBe(fs.readFileSync(path.join(dir, s.path), 'utf8'));
  });

  it('keep the ids, labels and explanations of main/timeline/highlights.ts, with ATT&CK tags', () => {
    expect(highlightRules).toEqual(timelineRules);
    const set = new RuleSet(LARIAT_HIGHLIGHT_SOURCES.map((s) => ({ ...s, origin: 'lariat' as const })));
    for (const r of set.rules) expect(r.meta.techniques.length, r.meta.title).toBeGreaterThan(0);
  });

  it('list what the rule engine reads from each rule, in rule order (the listing is generated without the engine)', () => {
    const set = new RuleSet(LARIAT_HIGHLIGHT_SOURCES.map((s) => ({ ...s, origin: 'lariat' as const })));
    expect(set.errors).toEqual([]);
    const fromEngine = set.rules.map((r) => ({ id: r.meta.name ?? r.meta.id, label: r.meta.title, explanation: r.meta.description }));
    expect(LARIAT_HIGHLIGHT_RULES).toEqual(fromEngine);
    // highlightFor names a rule by its position in the set: the listing's order is the set's order.
    const denied = { eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com' };
    expect(highlightFor('StopLogging', denied)).toBe(fromEngine[set.matchRecord(denied)[0]!]!.id);
  });

  it('give the same highlight as the hand-written rules on every shared CloudTrail sample and on variants of them', () => {
    const records: Record<string, unknown>[] = [];
    for (const f of fs.readdirSync(path.join(SHARED, 'panther')).filter((n) => n.endsWith('.json'))) {
      const doc = JSON.parse(fs.readFileSync(path.join(SHARED, 'panther', f), 'utf8')) as
        { Records?: Record<string, unknown>[] } | Record<string, unknown>[];
      records.push(...(Array.isArray(doc) ? doc : (doc.Records ?? [])));
    }
    for (const line of fs.readFileSync(path.join(SHARED, 'otrf/ec2_proxy_s3_exfiltration_2020-09-14011940.json'), 'utf8').split('\n'))
      if (line.trim()) records.push(JSON.parse(line) as Record<string, unknown>);
    expect(records.length).toBeGreaterThan(500);
    // Variants that exercise each branch: failed logins without errorMessage, world-open rules for IPv6, other names.
    const variants = records.flatMap((r) => [
      r,
      { ...r, errorMessage: undefined },
      { ...r, responseElements: { ConsoleLogin: 'Failure' } },
      { ...r, requestParameters: { ipPermissions: { items: [{ ipv6Ranges: { items: [{ cidrIpv6: '::/0' }] } }] } } },
    ]);
    let highlighted = 0;
    for (const r of variants) {
      const name = typeof r.eventName === 'string' ? r.eventName : null;
      const want = timelineHighlight(name, r);
      if (want) highlighted++;
      expect(highlightFor(name, r), `${String(r.eventName)}`).toBe(want);
    }
    expect(highlighted).toBeGreaterThan(100);
  });
});
