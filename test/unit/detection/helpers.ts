import fs from 'node:fs';
import path from 'node:path';
import { RuleSet } from '../../../main/detection/engine/rule-set';
import type { RuleOrigin } from '../../../main/detection/engine/types';

/** A CloudTrail record as AWS documents it, with overrides. */
export function ct(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      userName: 'alice',
    },
    eventTime: '2026-11-20T10:00:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'ListUsers',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: null,
    responseElements: null,
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
    ...over,
  };
}

/** A rule file around a detection block (YAML text indented by the caller). */
export function ruleYaml(detection: string, extra = ''): string {
  return `title: Test rule\nid: test-rule\nauthor: Tester\nlogsource:\n    product: aws\n    service: cloudtrail\ndetection:\n${detection}\nlevel: high\n${extra}`;
}

/**
 * YAML lines ahead of a rule that expand to 9^12 strings through aliases ("billion laughs"): a reader that
 * expands them all runs out of memory.
 */
export function laughs(): string {
  const lines = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 12; i++) {
    const name = String.fromCharCode(97 + i);
    lines.push(
      `${name}: &${name} [${Array(9)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(', ')}]`,
    );
  }
  return lines.join('\n');
}

export function ruleSet(texts: string[], origin: RuleOrigin = 'investigator', disabled: string[] = []): RuleSet {
  return new RuleSet(
    texts.map((text, i) => ({ path: `r${i}.yml`, origin, text })),
    { disabled },
  );
}

/** Whether the one rule of `detection` matches `record`; throws with the load error when the rule did not load. */
export function matches(detection: string, record: unknown): boolean {
  const set = ruleSet([ruleYaml(detection)]);
  if (set.errors.length) throw new Error(set.errors[0]!.error);
  return set.matchRecord(record).length === 1;
}

export function loadError(detection: string, extra = ''): string {
  const set = ruleSet([ruleYaml(detection, extra)]);
  if (set.rules.length) throw new Error('the rule loaded');
  return set.errors[0]!.error;
}

/** The read-only shared samples beside the checkout (`../shared` in CI; `../../shared` from a worktree in wt/). */
export const SHARED_ROOT =
  [path.resolve('..', 'shared'), path.resolve('..', '..', 'shared')].find((p) => fs.existsSync(path.join(p, 'data'))) ??
  path.resolve('..', 'shared');
