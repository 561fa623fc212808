import { describe, expect, it } from 'vitest';
import { correlate, type CorrelationEvent } from '../../../main/detection/engine/correlate';
import type { RuleSet } from '../../../main/detection/engine/rule-set';
import { ct, ruleSet } from './helpers';

const base = (name: string, eventName: string) =>
  `title: ${name}\nid: ${name}\nname: ${name}\nlogsource:\n    product: aws\n    service: cloudtrail\ndetection:\n    selection:\n        eventName: ${eventName}\n    condition: selection\n`;
const corr = (name: string, body: string) => `title: ${name}\nid: ${name}\nname: ${name}\nlevel: high\ncorrelation:\n${body}\n`;

/** Runs the set over events (minute offsets) and returns each correlation hit as rule:group:eventIds. */
function run(set: RuleSet, events: { min: number; eventName: string; ip?: string; user?: string }[]): string[] {
  const byRule = new Map<string, CorrelationEvent[]>();
  events.forEach((e, i) => {
    const record = ct({ eventName: e.eventName, sourceIPAddress: e.ip ?? '198.51.100.1', userIdentity: { arn: e.user ?? 'arn:u/a' } });
    for (const r of set.matchRecord(record)) {
      const id = set.rules[r]!.meta.id;
      byRule.set(id, [...(byRule.get(id) ?? []), { eventId: i + 1, ts: e.min * 60_000, record }]);
    }
  });
  const metas = new Map(set.metas().map((m) => [m.id, m]));
  return correlate(set.correlations, metas, (id) => byRule.get(id) ?? []).map(
    (h) => `${h.ruleId}:${Object.values(h.group).join(',')}:${h.eventIds.join(',')}`,
  );
}

describe('correlation rules (Sigma v2)', () => {
  it('event_count fires per group when the count is met within the timespan', () => {
    const set = ruleSet([
      base('fail', 'ConsoleLogin'),
      corr(
        'burst',
        '    type: event_count\n    rules: fail\n    group-by:\n        - sourceIPAddress\n    timespan: 10m\n    condition:\n        gte: 3',
      ),
    ]);
    expect(set.errors).toEqual([]);
    expect(
      run(set, [
        { min: 0, eventName: 'ConsoleLogin' },
        { min: 4, eventName: 'ConsoleLogin' },
        { min: 9, eventName: 'ConsoleLogin' },
        { min: 1, eventName: 'ConsoleLogin', ip: '192.0.2.9' },
        { min: 2, eventName: 'ConsoleLogin', ip: '192.0.2.9' },
        { min: 30, eventName: 'ConsoleLogin', ip: '192.0.2.9' },
      ]),
    ).toEqual(['burst:198.51.100.1:1,2,3']);
    // Spread over more than the timespan: nothing.
    expect(
      run(
        set,
        [0, 6, 12].map((min) => ({ min, eventName: 'ConsoleLogin' })),
      ),
    ).toEqual([]);
  });

  it('value_count counts distinct values of the field', () => {
    const set = ruleSet([
      base('list', 'List*'),
      corr(
        'enum',
        '    type: value_count\n    rules: list\n    group-by: userIdentity.arn\n    timespan: 5m\n    condition:\n        field: eventName\n        gte: 3',
      ),
    ]);
    const same = [0, 1, 2, 3].map((min) => ({ min, eventName: 'ListUsers' }));
    expect(run(set, same)).toEqual([]);
    expect(
      run(
        set,
        ['ListUsers', 'ListRoles', 'ListUsers', 'ListBuckets'].map((eventName, min) => ({ min, eventName })),
      ),
    ).toEqual(['enum:arn:u/a:1,2,3,4']);
  });

  it('temporal needs every rule within the timespan, in any order; temporal_ordered in order', () => {
    const set = ruleSet([
      base('a', 'CreateUser'),
      base('b', 'CreateAccessKey'),
      corr('any-order', '    type: temporal\n    rules:\n        - a\n        - b\n    group-by: userIdentity.arn\n    timespan: 10m'),
      corr(
        'in-order',
        '    type: temporal_ordered\n    rules:\n        - a\n        - b\n    group-by: userIdentity.arn\n    timespan: 10m',
      ),
    ]);
    expect(
      run(set, [
        { min: 0, eventName: 'CreateAccessKey' },
        { min: 3, eventName: 'CreateUser' },
      ]),
    ).toEqual(['any-order:arn:u/a:1,2']);
    expect(
      run(set, [
        { min: 0, eventName: 'CreateUser' },
        { min: 3, eventName: 'CreateAccessKey' },
      ]),
    ).toEqual(['any-order:arn:u/a:1,2', 'in-order:arn:u/a:1,2']);
    expect(
      run(set, [
        { min: 0, eventName: 'CreateUser' },
        { min: 13, eventName: 'CreateAccessKey' },
      ]),
    ).toEqual([]);
    expect(
      run(set, [
        { min: 0, eventName: 'CreateUser' },
        { min: 3, eventName: 'CreateAccessKey', user: 'arn:u/b' },
      ]),
    ).toEqual([]);
  });

  it('chains: a correlation may name another (failures burst, then success), and aliases map fields per rule', () => {
    const set = ruleSet([
      base('fail', 'ConsoleLogin'),
      base('ok', 'GetSigninToken'),
      corr(
        'burst',
        '    type: event_count\n    rules: fail\n    group-by: sourceIPAddress\n    timespan: 10m\n    condition:\n        gte: 2\n    generate: true',
      ),
      corr(
        'then-ok',
        '    type: temporal_ordered\n    rules:\n        - burst\n        - ok\n    group-by: ip\n    timespan: 10m\n    aliases:\n        ip:\n            burst: sourceIPAddress\n            ok: sourceIPAddress',
      ),
    ]);
    expect(set.errors).toEqual([]);
    const hits = run(set, [
      { min: 0, eventName: 'ConsoleLogin' },
      { min: 1, eventName: 'ConsoleLogin' },
      { min: 2, eventName: 'GetSigninToken' },
    ]);
    expect(hits).toEqual(['burst:198.51.100.1:1,2', 'then-ok:198.51.100.1:1,2,3']);
    // then-ok has Sigma's default generate: false, so what it names only supports it.
    expect([...set.supporting].sort()).toEqual(['burst', 'ok']);
  });

  it('rules named only by generate:false correlations are supporting; dangling names and cycles are load errors', () => {
    const set = ruleSet([
      base('fail', 'ConsoleLogin'),
      corr('burst', '    type: event_count\n    rules: fail\n    timespan: 10m\n    condition:\n        gte: 2'),
      corr('dangling', '    type: event_count\n    rules: nope\n    timespan: 10m\n    condition:\n        gte: 2'),
      corr('x', '    type: temporal\n    rules:\n        - y\n        - fail\n    timespan: 10m'),
      corr('y', '    type: temporal\n    rules:\n        - x\n        - fail\n    timespan: 10m'),
      corr('bad-span', '    type: event_count\n    rules: fail\n    timespan: soon\n    condition:\n        gte: 2'),
      corr('bad-type', '    type: sum\n    rules: fail\n    timespan: 1m'),
      corr('no-field', '    type: value_count\n    rules: fail\n    timespan: 1m\n    condition:\n        gte: 2'),
    ]);
    expect(set.correlations.map((c) => c.meta.id)).toEqual(['burst']);
    expect([...set.supporting]).toEqual(['fail']);
    const errs = set.errors.map((e) => `${e.id}: ${e.error}`).sort();
    expect(errs).toEqual([
      expect.stringMatching(/^bad-span: correlation.timespan "soon"/),
      expect.stringMatching(/^bad-type: correlation.type "sum" is not supported/),
      expect.stringMatching(/^dangling: correlation.rules names "nope", which is not a loaded rule/),
      expect.stringMatching(/^no-field: correlation.condition.field is required/),
      expect.stringMatching(/^x: correlation rules refer to each other in a cycle|^x: correlation.rules names "y"/),
      expect.stringMatching(/^y: correlation rules refer to each other in a cycle|^y: correlation.rules names "x"/),
    ]);
  });
});
