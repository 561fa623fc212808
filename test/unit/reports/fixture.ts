import fs from 'node:fs';
import path from 'node:path';
import { makeServices, tempDir } from '../../helpers/services';
import type { Services } from '../../../main/services';
import { STEP_KINDS } from '../../../main/response/plans/types';

export const HOSTILE_NOTE = [
  '# Attacker payloads kept as typed',
  '<script>window.__pwned = "script"</script>',
  '<img src=x onerror="window.__pwned = \'onerror\'">',
  "[click me](javascript:window.__pwned='link')",
  '<a href="javascript:alert(1)">raw link</a> <iframe src="https://evil.example"></iframe>',
  '<svg onload="window.__pwned=1"></svg> <div style="background:url(https://evil.example/x.png)">styled</div>',
  '',
  'Normal **bold** text, `code`, and a [safe link](https://aws.amazon.com/).',
].join('\n');

/** A case with an investigator, evidence, notes (one hostile), tasks, assets, IOCs and flagged events. */
export async function seededCase(s: Services, options: { name?: string } = {}): Promise<{ caseNumber: string; evidenceFile: string }> {
  s.custody.identity.create({
    name: options.name ?? 'Ada Examiner',
    role: 'Incident responder',
    organisation: 'Example Corp',
    contact: 'ada@example.com',
  });
  const c = s.core.cases.create({
    title: 'Crypto miner on web-1 <b>bold</b>',
    severity: 'high',
    tlp: 'amber',
    summary: 'A **miner** ran on `web-1`.\n\n<script>window.__pwned="summary"</script>',
    lead: 'Ada',
    accounts: ['123456789012'],
    regions: ['eu-west-1'],
  });
  s.notes.add({ caseNumber: c.number, title: 'Initial triage', body: HOSTILE_NOTE });
  s.notes.add({
    caseNumber: c.number,
    title: 'Scope and authorisation',
    body: 'Authorised by the CISO on 2026-11-26 for account 123456789012.',
  });
  s.notes.add({ caseNumber: c.number, title: 'Post-incident analysis', body: 'Root cause: an exposed access key.' });
  s.tasks.add({ caseNumber: c.number, title: 'Rotate keys', assignee: 'Bob' });
  s.core.assets.upsert({
    caseNumber: c.number,
    kind: 'ec2-instance',
    identifier: 'i-0abc1234def567890',
    label: 'web-1',
    account: '123456789012',
    region: 'eu-west-1',
  });
  s.timeline.iocs.add({ caseNumber: c.number, type: 'ip', value: '203.0.113.7', notes: 'C2 <script>x</script>' });
  s.timeline.timeline.appendEvents(c.number, [
    {
      time: '2026-11-27T09:00:00.000Z',
      source: 'cloudtrail',
      action: 'RunInstances',
      actor: 'arn:aws:iam::123456789012:user/<script>x</script>',
      resource: 'i-0abc1234def567890',
      region: 'eu-west-1',
      account: '123456789012',
      raw: {},
    },
    {
      time: '2026-11-27T09:05:00.000Z',
      source: 'cloudtrail',
      action: 'CreateAccessKey',
      actor: 'arn:aws:iam::123456789012:user/dev',
      region: 'eu-west-1',
      account: '123456789012',
      errorCode: 'AccessDenied',
      raw: {},
    },
  ]);
  for (const e of s.timeline.events.query({ caseNumber: c.number }).events) s.timeline.events.flag(c.number, e.id, true);
  // A response action as the response feature records it (planned, then run step by step).
  const store = s.response.response.store;
  const caseId = s.core.cases.require(c.number).id;
  const actionId = store.insert({
    caseId,
    kind: 'isolate',
    instanceId: 'i-0abc1234def567890',
    region: 'eu-west-1',
    account: '123456789012',
    options: {},
    actor: 'Ada Examiner',
    now: '2026-11-27T10:00:00.000Z',
  });
  store.savePlan(actionId, {}, [
    {
      key: 'sg',
      title: 'Create isolation security group',
      kind: STEP_KINDS[0],
      service: 'ec2',
      region: 'eu-west-1',
      operation: 'CreateSecurityGroup',
      request: { GroupName: 'lariat-isolation' },
    },
    {
      key: 'asg',
      title: 'Detach from Auto Scaling group',
      kind: STEP_KINDS[0],
      service: 'autoscaling',
      region: 'eu-west-1',
      operation: 'DetachInstances',
      request: {},
    },
  ]);
  store.setState(actionId, 'running', { startedAt: '2026-11-27T10:01:00.000Z' });
  store.stepRunning(actionId, 0, '2026-11-27T10:01:00.000Z');
  store.stepEnded(actionId, 0, 'succeeded', { GroupId: 'sg-0123456789abcdef0' }, null, '2026-11-27T10:01:02.000Z');
  store.stepRunning(actionId, 1, '2026-11-27T10:01:03.000Z');
  store.stepEnded(
    actionId,
    1,
    'failed',
    null,
    { code: 'AccessDenied', message: 'autoscaling:DetachInstances was denied <script>x</script>', hint: 'h' },
    '2026-11-27T10:01:04.000Z',
  );
  store.setState(actionId, 'failed', { finishedAt: '2026-11-27T10:01:04.000Z' });
  const dir = tempDir('lariat-ev-');
  const evidenceFile = path.join(dir, 'auth.log');
  fs.writeFileSync(evidenceFile, 'Nov 27 10:00:00 web-1 sshd[1]: Accepted publickey for ubuntu\n'.repeat(50));
  await s.custody.evidence.importFile(c.number, evidenceFile, { description: 'auth.log from web-1' });
  return { caseNumber: c.number, evidenceFile };
}

export { makeServices, tempDir };
