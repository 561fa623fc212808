import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeServices, tempDir, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import { reportDetections } from '../../../main/detection/report-section';
import { SHARED_ROOT } from '../detection/helpers';

let s: TestServices;
let caseNumber: string;
let work: string;

/** Six failed console logins from one IP, then a success (the brute-force correlation's shape). */
function logins(ip: string): string {
  const one = (i: number, ok: boolean) => ({
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', userName: 'alice' },
    eventTime: `2026-11-20T10:0${i}:00Z`,
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: 'us-east-1',
    sourceIPAddress: ip,
    responseElements: { ConsoleLogin: ok ? 'Success' : 'Failure' },
    ...(ok ? {} : { errorMessage: 'Failed authentication' }),
    eventID: `r-${i}-${ok}`,
    eventType: 'AwsConsoleSignIn',
    recipientAccountId: '111122223333',
  });
  const file = path.join(work, 'logins.json');
  fs.writeFileSync(file, JSON.stringify({ Records: [0, 1, 2, 3, 4, 5].map((i) => one(i, false)).concat(one(7, true)) }));
  return file;
}

beforeAll(async () => {
  s = makeServices();
  ensureTestIdentity(s);
  work = tempDir('lariat-report-attack-');
  caseNumber = s.core.cases.create({ title: 'ATT&CK report', severity: 'high' }).number;
  await s.timeline.imports.importPaths(caseNumber, [
    path.join(SHARED_ROOT, 'data/cloudtrail/panther'),
    path.join(SHARED_ROOT, 'data/guardduty'),
    logins('198.51.100.77'),
  ]);
});
afterAll(() => {
  s.cleanup();
  fs.rmSync(work, { recursive: true, force: true });
});

describe("the report's ATT&CK section", () => {
  it("groups every listed rule hit under a tactic, in time order, each naming its rule's author", () => {
    const d = reportDetections(s.detection, caseNumber);
    expect(d.hits).toBeGreaterThan(0);
    expect(d.listed).toBe(d.hits);
    const all = d.byTactic.flatMap((t) => t.hits);
    expect(all.every((h) => h.author.trim().length > 0)).toBe(true);
    expect(d.byTactic.map((t) => t.tactic)).toContain('Credential Access');
    for (const t of d.byTactic) {
      const times = t.hits.map((h) => h.time ?? '');
      expect(times).toEqual([...times].sort());
    }
    // Collapsed rows count hits: the sum per tactic is at least one per listed hit tagged with it.
    expect(all.reduce((n, h) => n + h.count, 0)).toBeGreaterThanOrEqual(d.listed);
    expect(d.correlations.map((c) => c.title)).toContain('Console login failures then success from one IP');
    expect(d.correlations.find((c) => c.title.endsWith('success from one IP'))!.group).toBe('sourceIPAddress 198.51.100.77');
    // GuardDuty findings mapped through the shipped table appear as techniques with findings.
    const t1110 = d.tactics.flatMap((t) => t.techniques).find((x) => x.id === 'T1110')!;
    expect(t1110.findings).toBe(2);
    expect(t1110.findingTypes).toContain('UnauthorizedAccess:EC2/SSHBruteForce');
  });

  it('renders in the report with the licence and ATT&CK terms, and links to nothing outside the report', async () => {
    const r = await s.reports.reports.generate({ caseNumber, sections: ['timeline', 'attack'] });
    expect(r.html).toContain('<h2>2. MITRE ATT&amp;CK and detections</h2>');
    expect(r.html).toContain('<h3>Detections by tactic</h3>');
    expect(r.html).toContain('<h4>Credential Access</h4>');
    expect(r.html).toContain('Console login failures then success from one IP');
    expect(r.html).toContain('Detection Rule License 1.1');
    expect(r.html).toContain('MITRE ATT&amp;CK® is a registered trademark');
    expect(r.html).toMatch(
      /<td class="wrap">Console login failure <span class="meta">\(low, Lariat\)<\/span><\/td><td class="wrap">Lariat<\/td>/,
    );
    expect(r.html).not.toMatch(/https?:\/\/(?!aws\.amazon\.com)/);
  });

  it('says so when nothing was detected, and is left out when not chosen', async () => {
    const empty = s.core.cases.create({ title: 'Quiet', severity: 'low' }).number;
    const r = await s.reports.reports.generate({ caseNumber: empty, sections: ['attack'] });
    expect(r.html).toContain('No detection rule matched an event of this case');
    const without = await s.reports.reports.generate({ caseNumber, sections: ['summary'] });
    expect(without.html).not.toContain('Detections by tactic');
  });
});
