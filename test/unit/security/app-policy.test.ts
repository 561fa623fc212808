import { describe, expect, it } from 'vitest';
import { createExternalOpener, devToolsAllowed, externalUrlAllowed, requestAllowed } from '../../../main/core/app-policy';
import { memoryLogger } from '../../../main/core/logger';
import { redactText, redactValue } from '../../../main/core/redact';

describe('external links: one audited opener', () => {
  it('allows only https URLs on the allow-list, without credentials or ports', () => {
    expect(externalUrlAllowed('https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa.html')).toBe(true);
    expect(externalUrlAllowed('https://attack.mitre.org/techniques/T1078/')).toBe(true);
    for (const bad of [
      'http://docs.aws.amazon.com/',
      'https://docs.aws.amazon.com.evil.example/',
      'https://evil.example/?https://docs.aws.amazon.com/',
      'https://user:pass@docs.aws.amazon.com/',
      'https://docs.aws.amazon.com:8443/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'ms-settings:',
      `https://docs.aws.amazon.com/${'a'.repeat(3000)}`,
      'not a url',
    ])
      expect(externalUrlAllowed(bad), bad).toBe(false);
  });

  it('opens what is allowed, refuses the rest, rate-limits a flood, and logs every decision', () => {
    let now = 0;
    const opened: string[] = [];
    const log = memoryLogger();
    const open = createExternalOpener({ open: async (u) => void opened.push(u), log, now: () => now });
    expect(open('https://evil.example/')).toBe(false);
    const doc = 'https://docs.aws.amazon.com/x';
    const results = Array.from({ length: 15 }, () => open(doc));
    expect(results.filter(Boolean)).toHaveLength(10);
    expect(opened).toHaveLength(10);
    now += 61_000;
    expect(open(doc)).toBe(true);
    expect(log.lines.map((l) => [l.level, l.fields.opened])).toEqual([
      ['warn', false],
      ...Array.from({ length: 10 }, () => ['info', true]),
      ...Array.from({ length: 5 }, () => ['warn', false]),
      ['info', true],
    ]);
  });
});

describe('no remote content and no devTools in production', () => {
  it('lets the app load only app://lariat, data: (PDF window) and devtools', () => {
    for (const ok of [
      'app://lariat/index.html',
      'app://lariat/assets/x.js',
      'data:text/html;base64,PGI+',
      'devtools://devtools/bundled/x.html',
    ])
      expect(requestAllowed(ok), ok).toBe(true);
    for (const bad of [
      'https://example.com/',
      'http://127.0.0.1:8080/',
      'ws://127.0.0.1:1/',
      'wss://x/',
      'file:///etc/passwd',
      'app://evil/index.html',
      'ftp://x/',
      'blob:https://x/1',
      '',
    ])
      expect(requestAllowed(bad), bad).toBe(false);
  });

  it('devTools are off in a packaged build unless LARIAT_DEVTOOLS=1, on in a development run unless turned off', () => {
    expect(devToolsAllowed(true, {})).toBe(false);
    expect(devToolsAllowed(true, { LARIAT_DEVTOOLS: 'yes' })).toBe(false);
    expect(devToolsAllowed(true, { LARIAT_DEVTOOLS: '1' })).toBe(true);
    expect(devToolsAllowed(false, {})).toBe(true);
    expect(devToolsAllowed(false, { LARIAT_NO_DEVTOOLS: '1' })).toBe(false);
  });
});

describe('one redaction for logs and stored AWS copies', () => {
  const keyId = 'AKIAIOSFODNN7EXAMPLE';
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const token = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexampletokenvalue';

  it('by shape, in free text', () => {
    const text = [
      `key ${keyId} and ASIAQWERTYUIOPASDFGH`,
      `secret ${secret}`,
      `token ${token}`,
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----',
      '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI truncated',
      `https://b.s3.amazonaws.com/k?X-Amz-Credential=${keyId}%2F20261127&X-Amz-Signature=${'9f'.repeat(32)}`,
      `Authorization: AWS4-HMAC-SHA256 Credential=${keyId}/x, SignedHeaders=host, Signature=${'0a'.repeat(32)}`,
      `aws_secret_access_key = ${secret}`,
    ].join('\n');
    const out = redactText(text);
    for (const s of [
      keyId,
      'ASIAQWERTYUIOPASDFGH',
      secret,
      token,
      'b3BlbnNzaC1rZXktdjEAAAAA',
      'MHcCAQEEI',
      '9f'.repeat(32),
      '0a'.repeat(32),
    ])
      expect(out, s).not.toContain(s);
    expect(out).toContain('AKIA[redacted]');
    expect(out).toContain('[private key redacted]');
  });

  it('leaves evidence identifiers alone: hashes, ARNs, instance ids, account ids, paths', () => {
    const keep = [
      'da39a3ee5e6b4b0d3255bfef95601890afd80709', // SHA-1
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', // SHA-256
      'arn:aws:iam::123456789012:role/Responder',
      'i-0abc1234def567890',
      '123456789012',
      'AWSLogs/123456789012/CloudTrail/eu-west-1/2024/01/15/file.json.gz',
      'IR-2026-0001',
    ];
    for (const k of keep) expect(redactText(k)).toBe(k);
  });

  it('by field name, at any depth, and errors lose their request objects', () => {
    const err = Object.assign(new Error(`denied for ${keyId}`), { code: 'AccessDenied', $response: { headers: { authorization: 'x' } } });
    const v = redactValue({
      Credentials: { AccessKeyId: 'x' },
      nested: [{ sessionToken: 'abc', private_key: 'k', SecretAccessKey: 's', signature: 'sig', keep: 'ok' }],
      err,
    }) as Record<string, unknown>;
    const json = JSON.stringify(v);
    expect(json).toContain('"Credentials":"[redacted]"');
    expect(json).toContain('"keep":"ok"');
    for (const s of ['"abc"', '"k"', '"s"', '"sig"', keyId, '$response']) expect(json, s).not.toContain(s);
    expect((v.err as Record<string, unknown>).code).toBe('AccessDenied');
  });
});
