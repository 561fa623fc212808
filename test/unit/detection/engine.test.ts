import { describe, expect, it } from 'vitest';
import { EventView, fieldValues } from '../../../main/detection/engine/fields';
import { ct, laughs, loadError, matches, ruleSet, ruleYaml } from './helpers';

const sel = (body: string, condition = 'selection') => `    selection:\n${body}\n    condition: ${condition}`;

describe('string matching (Sigma specification)', () => {
  it('is case-insensitive and exact without wildcards', () => {
    expect(matches(sel('        eventName: listusers'), ct())).toBe(true);
    expect(matches(sel('        eventName: ListUser'), ct())).toBe(false);
    expect(matches(sel('        eventName|cased: listusers'), ct())).toBe(false);
    expect(matches(sel('        eventName|cased: ListUsers'), ct())).toBe(true);
  });

  it('handles * and ? wildcards, and escapes them with a backslash', () => {
    expect(matches(sel("        eventName: 'List*'"), ct())).toBe(true);
    expect(matches(sel("        eventName: 'L?stUsers'"), ct())).toBe(true);
    expect(matches(sel("        eventName: 'L?Users'"), ct())).toBe(false);
    expect(matches(sel("        eventName: 'Li*Us*s'"), ct())).toBe(true);
    expect(matches(sel("        userAgent: 'a\\*b'"), ct({ userAgent: 'a*b' }))).toBe(true);
    expect(matches(sel("        userAgent: 'a\\*b'"), ct({ userAgent: 'axxb' }))).toBe(false);
    expect(matches(sel("        userAgent: 'a\\?b'"), ct({ userAgent: 'axb' }))).toBe(false);
    expect(matches(sel("        userAgent: 'C:\\\\temp'"), ct({ userAgent: 'C:\\temp' }))).toBe(true);
    expect(matches(sel("        userAgent: 'C:\\temp'"), ct({ userAgent: 'C:\\temp' }))).toBe(true);
    // Regular-expression characters in a value are literal.
    expect(matches(sel("        userAgent: 'a.b(c)'"), ct({ userAgent: 'axb(c)' }))).toBe(false);
  });

  it('contains, startswith, endswith, and all', () => {
    expect(matches(sel('        userAgent|contains: CLI/2'), ct())).toBe(true);
    expect(matches(sel('        userAgent|startswith: AWS-'), ct())).toBe(true);
    expect(matches(sel('        userAgent|endswith: 15.0'), ct())).toBe(true);
    expect(matches(sel('        userAgent|endswith: 15'), ct())).toBe(false);
    expect(matches(sel('        userAgent|contains|all:\n            - aws\n            - "2.15"'), ct())).toBe(true);
    expect(matches(sel('        userAgent|contains|all:\n            - aws\n            - boto'), ct())).toBe(false);
    expect(matches(sel('        userAgent|contains:\n            - boto\n            - cli'), ct())).toBe(true);
  });

  it('reads nested fields, fans out over arrays, and matches objects as their JSON text', () => {
    expect(matches(sel('        userIdentity.type: iamuser'), ct())).toBe(true);
    expect(matches(sel('        userIdentity.sessionContext.type: x'), ct())).toBe(false);
    const rp = { containerDefinitions: [{ command: ['sh', '-c', 'curl $X'] }, { command: ['nginx'] }] };
    expect(matches(sel('        requestParameters.containerDefinitions.command: nginx'), ct({ requestParameters: rp }))).toBe(true);
    expect(matches(sel('        requestParameters|contains: "curl $x"'), ct({ requestParameters: rp }))).toBe(true);
    // A policy document is a JSON string inside requestParameters: its quotes match as written.
    const policy = { policyDocument: '{"Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}' };
    expect(matches(sel('        requestParameters|contains: \'"s3:GetObject"\''), ct({ requestParameters: policy }))).toBe(true);
    expect(matches(sel('        requestParameters.policyDocument|contains: \'"Effect":"Allow"\''), ct({ requestParameters: policy }))).toBe(
      true,
    );
    // A literal key holding a dot.
    expect(matches(sel("        'a.b': x"), ct({ 'a.b': 'x' }))).toBe(true);
  });

  it('walks a field name the same way at every level: a literal dotted key below the top, arrays of objects, mixed value types', () => {
    const rec = ct({ requestParameters: { 'tag.key': 'Env', tags: [{ k: 'A' }, { k: 7 }, { k: null }, { k: ['x', 'Y'] }] } });
    expect(fieldValues(rec, 'requestParameters.tag.key')).toEqual(['Env']);
    expect(fieldValues(rec, 'requestParameters.tags.k')).toEqual(['A', 7, null, 'x', 'Y']);
    expect(fieldValues(rec, 'requestParameters.tags.k.z')).toEqual([]);
    expect(fieldValues(rec, 'requestParameters.nope')).toEqual([]);
    expect(matches(sel('        requestParameters.tag.key: env'), rec)).toBe(true);
    expect(matches(sel('        requestParameters.tags.k: 7'), rec)).toBe(true);
    expect(matches(sel('        requestParameters.tags.k: y'), rec)).toBe(true);
    expect(matches(sel('        requestParameters.tags.k|cased: y'), rec)).toBe(false);
  });

  it("reads only a record's own keys: names of Object's prototype members are absent unless the JSON has them", () => {
    const bare = JSON.parse('{"requestParameters":{"bucketName":"b"}}') as unknown;
    for (const name of [
      'constructor',
      'toString',
      '__proto__',
      'hasOwnProperty',
      'requestParameters.constructor',
      'requestParameters.__proto__',
    ])
      expect(fieldValues(bare, name)).toEqual([]);
    const own = JSON.parse('{"constructor":"c","requestParameters":{"__proto__":{"x":1},"toString":null}}') as unknown;
    expect(fieldValues(own, 'constructor')).toEqual(['c']);
    expect(fieldValues(own, 'requestParameters.__proto__.x')).toEqual([1]);
    expect(fieldValues(own, 'requestParameters.toString')).toEqual([null]);
    expect(matches(sel('        constructor|exists: true'), bare as Record<string, unknown>)).toBe(false);
    expect(matches(sel('        constructor: c'), own as Record<string, unknown>)).toBe(true);
  });

  it('gives each record its own texts when a view moves on (already lower-case, mixed case, numbers)', () => {
    const view = new EventView();
    const seq = [
      { errorCode: 'accessdenied', port: 22 },
      { errorCode: 'AccessDenied', port: '22' },
      { errorCode: ['a', 'B'], port: null },
      { port: 443 },
    ];
    const got = seq.map((r) => {
      view.reset(r);
      return [view.text('errorCode'), view.lowerText('errorCode'), view.text('port'), view.lowerText('port')];
    });
    expect(got).toEqual([
      [['accessdenied'], ['accessdenied'], ['22'], ['22']],
      [['AccessDenied'], ['accessdenied'], ['22'], ['22']],
      [['a', 'B'], ['a', 'b'], [null], [null]],
      [[], [], ['443'], ['443']],
    ]);
  });

  it('compares numbers and booleans by their text, and numerically with lt/gt', () => {
    expect(matches(sel('        requestParameters.enable: "false"'), ct({ requestParameters: { enable: false } }))).toBe(true);
    expect(matches(sel('        requestParameters.enable: false'), ct({ requestParameters: { enable: false } }))).toBe(true);
    expect(matches(sel('        requestParameters.port: 22'), ct({ requestParameters: { port: 22 } }))).toBe(true);
    expect(matches(sel('        requestParameters.port: 22'), ct({ requestParameters: { port: '22' } }))).toBe(true);
    expect(matches(sel('        requestParameters.port|gte: 1024'), ct({ requestParameters: { port: 22 } }))).toBe(false);
    expect(matches(sel('        requestParameters.port|lt: 1024'), ct({ requestParameters: { port: 22 } }))).toBe(true);
    expect(matches(sel('        requestParameters.port|lt: 1024'), ct({ requestParameters: { port: 'x' } }))).toBe(false);
  });

  it('null matches an absent or null field, and only that', () => {
    expect(matches(sel('        errorCode: null'), ct())).toBe(true);
    expect(matches(sel('        errorCode: null'), ct({ errorCode: null }))).toBe(true);
    expect(matches(sel('        errorCode: null'), ct({ errorCode: 'AccessDenied' }))).toBe(false);
    expect(matches(sel("        errorCode: ''"), ct())).toBe(false);
    expect(matches(sel("        errorCode: ''"), ct({ errorCode: '' }))).toBe(true);
    // '*' needs a value.
    expect(matches(sel("        errorCode|contains: '*'"), ct())).toBe(false);
    expect(matches(sel("        errorCode|contains: '*'"), ct({ errorCode: 'x' }))).toBe(true);
  });

  it('exists, fieldref, re, cidr, base64, base64offset, windash', () => {
    expect(matches(sel('        errorCode|exists: true'), ct())).toBe(false);
    expect(matches(sel('        errorCode|exists: false'), ct())).toBe(true);
    expect(matches(sel('        errorCode|exists: true'), ct({ errorCode: null }))).toBe(true);
    const same = ct({ requestParameters: { userName: 'ALICE' } });
    expect(matches(sel('        userIdentity.userName|fieldref: requestParameters.userName'), same)).toBe(true);
    expect(matches(sel('        userIdentity.arn|fieldref|endswith: requestParameters.userName'), same)).toBe(true);
    expect(matches(sel('        userIdentity.arn|fieldref: requestParameters.userName'), same)).toBe(false);
    expect(matches(sel("        userIdentity.arn|re: '^arn:aws:iam::\\d{12}:user/'"), ct())).toBe(true);
    expect(matches(sel("        userIdentity.arn|re: 'USER/'"), ct())).toBe(false);
    expect(matches(sel("        userIdentity.arn|re|i: 'USER/'"), ct())).toBe(true);
    expect(matches(sel('        sourceIPAddress|cidr: 203.0.113.0/24'), ct())).toBe(true);
    expect(matches(sel('        sourceIPAddress|cidr:\n            - 10.0.0.0/8\n            - 2001:db8::/32'), ct())).toBe(false);
    expect(matches(sel('        sourceIPAddress|cidr: 2001:db8::/32'), ct({ sourceIPAddress: '2001:db8::5' }))).toBe(true);
    expect(matches(sel('        sourceIPAddress|cidr: 10.0.0.0/8'), ct({ sourceIPAddress: 'AWS Internal' }))).toBe(false);
    const b64 = Buffer.from('curl http://evil').toString('base64');
    expect(matches(sel('        userAgent|base64: curl http://evil'), ct({ userAgent: b64 }))).toBe(true);
    expect(matches(sel('        userAgent|base64: curl http://evil'), ct({ userAgent: b64.toLowerCase() }))).toBe(false);
    for (const prefix of ['', 'x', 'xy', 'xyz'])
      expect(
        matches(
          sel('        userAgent|base64offset|contains: http://evil'),
          ct({ userAgent: Buffer.from(`${prefix}curl http://evil now`).toString('base64') }),
        ),
      ).toBe(true);
    expect(matches(sel('        userAgent|base64offset|contains: http://good'), ct({ userAgent: b64 }))).toBe(false);
    const wide = Buffer.from('whoami', 'utf16le').toString('base64');
    expect(matches(sel('        userAgent|wide|base64: whoami'), ct({ userAgent: wide }))).toBe(true);
    expect(matches(sel('        userAgent|windash|contains: " -enc "'), ct({ userAgent: 'powershell /enc AAA' }))).toBe(true);
    expect(matches(sel('        userAgent|windash|contains: " -enc "'), ct({ userAgent: 'powershell \u2013enc AAA' }))).toBe(true);
    expect(matches(sel('        userAgent|windash|contains: " -enc "'), ct({ userAgent: 'powershell +enc AAA' }))).toBe(false);
  });

  it('keyword lists search every value of the event', () => {
    expect(matches('    keywords:\n        - mimikatz\n        - 203.0.113\n    condition: keywords', ct())).toBe(true);
    expect(matches('    keywords:\n        - mimikatz\n    condition: keywords', ct())).toBe(false);
  });
});

describe('conditions', () => {
  const det = (condition: string) =>
    `    sel_a:\n        eventName: ListUsers\n    sel_b:\n        sourceIPAddress: 203.0.113.10\n    filter_x:\n        userAgent|contains: boto\n    _private:\n        eventName: Nope\n    condition: ${condition}`;
  it.each([
    ['sel_a and sel_b', true],
    ['sel_a and not sel_b', false],
    ['not sel_a or sel_b', true],
    ['not (sel_a or sel_b)', false],
    ['not sel_a and sel_b', false],
    ['sel_a and (filter_x or sel_b)', true],
    ['1 of sel_*', true],
    ['all of sel_*', true],
    ['all of sel_* and not 1 of filter*', true],
    ['1 of them', true],
    ['all of them', false],
    ['all of sel_* and filter_x', false],
    ['SEL_A', 'error'],
    ['sel_a AND sel_b', true],
  ] as const)('%s', (cond, want) => {
    if (want === 'error') expect(() => matches(det(cond), ct())).toThrow(/not a search identifier/);
    else expect(matches(det(cond), ct())).toBe(want);
  });

  it('`them` leaves out identifiers starting with an underscore', () => {
    // all of them would be false if _private (eventName: Nope) counted.
    const d = `    sel_a:\n        eventName: ListUsers\n    _private:\n        eventName: Nope\n    condition: all of them`;
    expect(matches(d, ct())).toBe(true);
  });

  it('a list of maps is OR; a map is AND', () => {
    const d = '    selection:\n        - eventName: Nope\n        - sourceIPAddress: 203.0.113.10\n    condition: selection';
    expect(matches(d, ct())).toBe(true);
    expect(matches('    selection:\n        eventName: Nope\n        sourceIPAddress: 203.0.113.10\n    condition: selection', ct())).toBe(
      false,
    );
  });
});

describe('pre-filter by eventName', () => {
  it('never hides a match: rules without an eventName pin run on every event, and pins are case-insensitive', () => {
    const set = ruleSet([
      ruleYaml(sel('        eventName: consolelogin')).replace('id: test-rule', 'id: a'),
      ruleYaml(sel('        userIdentity.type: Root')).replace('id: test-rule', 'id: b'),
      ruleYaml('    selection:\n        eventName: X\n    other:\n        errorCode: Boom\n    condition: selection or other').replace(
        'id: test-rule',
        'id: c',
      ),
      ruleYaml('    selection:\n        eventName: X\n    condition: not selection').replace('id: test-rule', 'id: d'),
    ]);
    expect(set.errors).toEqual([]);
    const ids = (r: unknown) => set.matchRecord(r).map((i) => set.rules[i]!.meta.id);
    expect(ids(ct({ eventName: 'ConsoleLogin' }))).toEqual(['a', 'd']);
    expect(ids(ct({ eventName: 'ListUsers', userIdentity: { type: 'Root' }, errorCode: 'Boom' }))).toEqual(['b', 'c', 'd']);
    expect(ids(ct({ eventName: 'X' }))).toEqual(['c']);
  });

  it('indexes `eventName|startswith` as a prefix, and keeps AND-ed pins that overlap', () => {
    const set = ruleSet([
      ruleYaml(sel('        eventName|startswith: UpdateFunctionConfiguration')).replace('id: test-rule', 'id: p'),
      ruleYaml(
        '    a:\n        eventName|startswith: Update\n    b:\n        eventName: UpdateFunctionConfiguration20150331v2\n    condition: a and b',
      ).replace('id: test-rule', 'id: q'),
    ]);
    const ids = (r: unknown) => set.matchRecord(r).map((i) => set.rules[i]!.meta.id);
    expect(ids(ct({ eventName: 'UpdateFunctionConfiguration20150331v2' }))).toEqual(['p', 'q']);
    expect(ids(ct({ eventName: 'updatefunctionconfiguration' }))).toEqual(['p']);
    expect(ids(ct({ eventName: 'UpdateTrail' }))).toEqual([]);
  });

  it('a regular expression with a required literal still matches exactly what it did', () => {
    expect(
      matches(
        sel("        userIdentity.arn|re: '.+:assumed-role/aws:.+'"),
        ct({ userIdentity: { arn: 'arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1' } }),
      ),
    ).toBe(true);
    expect(
      matches(
        sel("        userIdentity.arn|re: '.+:assumed-role/aws:.+'"),
        ct({ userIdentity: { arn: 'arn:aws:sts::1:assumed-role/AWS:x' } }),
      ),
    ).toBe(false);
    expect(matches(sel("        userIdentity.arn|re: 'a(b|c)d'"), ct({ userIdentity: { arn: 'xacdx' } }))).toBe(true);
  });

  it('matches parsed records, JSON text and UTF-8 bytes alike, and skips other sources and broken JSON', () => {
    const set = ruleSet([ruleYaml(sel('        eventName: ListUsers'))]);
    const text = JSON.stringify(ct());
    const hits = set.matchBatch([
      { id: 1, raw: ct() },
      { id: 2, raw: text },
      { id: 3, raw: Buffer.from(text) },
      { id: 4, raw: ct(), source: 'guardduty' },
      { id: 5, raw: '{not json' },
      { id: 6, raw: ct({ eventName: 'Other' }) },
    ]);
    expect(hits.map((h) => h.eventId)).toEqual([1, 2, 3]);
  });
});

describe('load errors name the rule and say why; nothing is silently ignored', () => {
  it.each([
    [sel('        eventName|expand: x'), /\|expand.*not supported/],
    [sel('        eventName|bogus: x'), /\|bogus.*not a Sigma modifier/],
    [sel('        eventName|contains|startswith: x'), /only one of/],
    [sel('        eventName|utf16le: x'), /only makes sense before \|base64/],
    [sel('        eventName|cidr: 10.0.0.0/33'), /not a CIDR/],
    [sel("        eventName|re: '('"), /does not compile/],
    [sel('        eventName|exists: maybe'), /\|exists takes true or false/],
    [sel('        eventName:\n            nested: map'), /a map/],
    [sel('        eventName: []'), /empty list/],
    ['    selection:\n        eventName: x\n    condition: selection | count() > 5', /aggregation/],
    ['    selection:\n        eventName: x\n    condition: selection and missing', /"missing" is not a search identifier/],
    ['    selection:\n        eventName: x\n    condition: 1 of filter_*', /matches no search identifier/],
    ['    selection:\n        eventName: x\n    condition: (selection', /not closed/],
    ['    selection:\n        eventName: x\n    timeframe: 5m\n    condition: selection', /timeframe/],
    ['    selection:\n        eventName: x', /condition is missing/],
  ])('%s', (detection, error) => {
    expect(loadError(detection)).toMatch(error);
  });

  it('refuses other log sources, deprecated rules, bad levels, duplicate ids and broken YAML', () => {
    const d = sel('        eventName: x');
    const other = ruleYaml(d).replace('product: aws\n    service: cloudtrail', 'product: windows\n    service: security');
    const set = ruleSet([
      other,
      ruleYaml(d, 'status: deprecated\n'),
      ruleYaml(d).replace('level: high', 'level: severe'),
      ruleYaml(d),
      ruleYaml(d),
      'title: [unclosed',
    ]);
    expect(set.rules).toHaveLength(1);
    const errs = set.errors.map((e) => `${e.path}: ${e.error}`);
    expect(errs[0]).toMatch(/^r0.yml: logsource.product "windows"/);
    expect(errs[1]).toMatch(/^r1.yml: status is "deprecated"/);
    expect(errs[2]).toMatch(/^r2.yml: level "severe"/);
    expect(errs[3]).toMatch(/^r4.yml: id test-rule is already used by investigator rule r3.yml/);
    expect(errs[4]).toMatch(/^r5.yml: not valid YAML/);
    expect(set.errors[0]!.title).toBe('Test rule');
  });

  it('a YAML alias bomb or a detection nested past the stack refuses its own file, and the other rules load', () => {
    // Each of these ended the whole rule load (and `lariat rules ...`) as an unexpected error.
    const bomb = `${laughs()}\n${ruleYaml(sel('        eventName: x')).replace('id: test-rule', 'id: bomb')}`;
    const deep = ruleYaml(sel(`        eventName: ${'['.repeat(50_000)}x${']'.repeat(50_000)}`)).replace('id: test-rule', 'id: deep');
    const set = ruleSet([bomb, deep, ruleYaml(sel('        eventName: ListUsers'))]);
    expect(set.rules.map((r) => r.meta.id)).toEqual(['test-rule']);
    const errs = set.errors.map((e) => `${e.path}: ${e.error}`);
    expect(errs[0]).toMatch(/^r0.yml: cannot be read: too many YAML aliases/);
    expect(errs[1]).toMatch(/^r1.yml: (not valid YAML|cannot be read): .*(call stack|nested too deeply)/);
  });

  it('a disabled rule is listed as disabled and does not match', () => {
    const set = ruleSet([ruleYaml(sel('        eventName: ListUsers'))], 'investigator', ['test-rule']);
    expect(set.rules).toHaveLength(0);
    expect(set.disabled.map((m) => m.id)).toEqual(['test-rule']);
    expect(set.matchRecord(ct())).toEqual([]);
  });

  it('reads ATT&CK techniques and tactics from the tags', () => {
    const set = ruleSet([
      ruleYaml(
        sel('        eventName: x'),
        'tags:\n    - attack.t1078.004\n    - attack.initial-access\n    - attack.g0016\n    - cve.2021-1234\n',
      ),
    ]);
    expect(set.rules[0]!.meta.techniques).toEqual(['T1078.004']);
    expect(set.rules[0]!.meta.tactics).toEqual(['initial-access']);
  });
});

describe('one rule set over many records', () => {
  it('never answers for a record with what it read from the one before (the view moves from record to record)', () => {
    const texts = [
      ruleYaml(sel("        userIdentity.type: Root\n        userAgent|contains: 'console'")),
      ruleYaml(sel('        userIdentity.arn|fieldref: userIdentity.sessionContext.sessionIssuer.arn')).replace(
        'id: test-rule',
        'id: test-rule-2',
      ),
    ];
    const set = ruleSet(texts);
    expect(set.errors).toEqual([]);
    const root = ct({ userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root' }, userAgent: 'AWS Console' });
    const bare = ct({ userIdentity: undefined, userAgent: undefined });
    const same = ct({ userIdentity: { type: 'AssumedRole', arn: 'x', sessionContext: { sessionIssuer: { arn: 'X' } } } });
    const other = ct({ userIdentity: { type: 'AssumedRole', arn: 'x', sessionContext: { sessionIssuer: { arn: 'y' } } } });
    const records = [root, bare, ct(), same, other, root, other, same, bare];
    const answers = records.map((r) => set.matchRecord(r));
    expect(answers).toEqual([[0], [], [], [1], [], [0], [], [1], []]);
    // The same as a fresh set for each record.
    expect(answers).toEqual(records.map((r) => ruleSet(texts).matchRecord(r)));
  });
});
