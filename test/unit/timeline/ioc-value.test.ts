import { describe, expect, test } from 'vitest';
import { iocValue } from '../../../main/timeline/ioc-value';
import { timelineCase } from './fake-evidence';
import type { IocType } from '../../../common/contract/timeline';

/**
 * The fault: an indicator was any text. `hash abc`, an access key id of seven characters or `010.1.1.1` were
 * kept as IOCs, which a sweep for them would never find, and `2001:DB8::1` beside `2001:db8::1` made two IOCs
 * of one address. Each value is now checked against its type and kept in one spelling.
 */
describe('an indicator is checked against its type and kept in one spelling', () => {
  test.each<[IocType, string, string]>([
    ['ip', '203.0.113.5', '203.0.113.5'],
    ['ip', ' 2001:DB8::1 ', '2001:db8::1'],
    ['ip', '10.0.0.0/8', '10.0.0.0/8'],
    ['ip', '2001:db8::/32', '2001:db8::/32'],
    ['domain', 'Evil.Example.COM.', 'evil.example.com'],
    ['domain', 'bücher.example', 'bücher.example'],
    ['domain', '_dmarc.example.com', '_dmarc.example.com'],
    ['access-key-id', 'akiaiosfodnn7example', 'AKIAIOSFODNN7EXAMPLE'],
    ['arn', 'arn:aws:iam::123456789012:user/division/ada', 'arn:aws:iam::123456789012:user/division/ada'],
    ['arn', 'arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/AdministratorAccess'],
    ['arn', 'arn:aws:s3:::my-bucket', 'arn:aws:s3:::my-bucket'],
    ['hash', 'D41D8CD98F00B204E9800998ECF8427E', 'd41d8cd98f00b204e9800998ecf8427e'],
    [
      'hash',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ],
    ['user-agent', ' aws-cli/2.15.0 Python/3.11 ', 'aws-cli/2.15.0 Python/3.11'],
  ])('%s %s → %s', (type, value, kept) => expect(iocValue(type, value)).toEqual({ ok: true, value: kept }));

  test.each<[IocType, string]>([
    ['ip', '010.1.1.1'],
    ['ip', '256.1.1.1'],
    ['ip', '10.0.0.0/33'],
    ['ip', '10.0.0.0/8/8'],
    ['ip', 'ec2.amazonaws.com'],
    ['domain', '-bad-.example'],
    ['domain', 'a..b'],
    ['domain', 'ex ample.com'],
    ['access-key-id', 'AKIA123'],
    ['access-key-id', 'AKIA-IOSFODNN7EXAMPLE'],
    ['arn', 'arn:aws:iam::123:user/x'],
    ['arn', 'not an arn'],
    ['hash', 'abc'],
    ['hash', 'z41d8cd98f00b204e9800998ecf8427e'],
  ])('%s %s is refused', (type, value) => expect(iocValue(type, value).ok).toBe(false));
});

describe('through the service (the app, the CLI, candidates and findings alike)', () => {
  const c = timelineCase('iocs');

  test('a value that is not of its type is refused with why, and nothing is kept', () => {
    expect(() => c.t.iocs.add({ caseNumber: c.caseNumber, type: 'hash', value: 'abc' })).toThrow(
      '"abc" is not a hash indicator: a hash is the hexadecimal MD5, SHA-1, SHA-256 or SHA-512 (32, 40, 64 or 128 characters).',
    );
    expect(c.t.iocs.list(c.caseNumber)).toEqual([]);
  });

  test('two spellings of one address are one IOC', () => {
    const a = c.t.iocs.add({ caseNumber: c.caseNumber, type: 'ip', value: '2001:DB8::1' });
    const b = c.t.iocs.add({ caseNumber: c.caseNumber, type: 'ip', value: '2001:db8::1' });
    expect(b.id).toBe(a.id);
    expect(a.value).toBe('2001:db8::1');
  });
});
