import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServices, type TestServices } from '../../helpers/services';
import { fixedClock } from '../../../main/core/clock';
import { call } from '../../helpers/call';
import { parsePlanJson, serializePlan } from '../../../main/plans/plan-codec';
import { organisationPlaybookDir } from '../../../main/plans';
import { PHASES, type PlanInput } from '../../../common/contract/plans';

let s: TestServices;
beforeEach(() => {
  s = makeServices({ clock: fixedClock('2026-11-27T10:00:00.000Z') });
});
afterEach(() => s.cleanup());

const minimal = (over: Partial<PlanInput> = {}): PlanInput => ({
  format: 'lariat-plan',
  version: 1,
  name: 'web-outage',
  kind: 'plan',
  title: 'Web outage',
  incident: {
    titleTemplate: '[web] {{title}}',
    impact: 2,
    severity: 'critical',
    summaryTemplate: 'Opened {{date}}: impact {{impact}} ({{impactMeaning}})',
    tlp: 'red',
  },
  engagements: [
    {
      alias: 'ada',
      type: 'personal',
      channels: [
        { type: 'email', address: 'ada@example.com' },
        { type: 'sms', address: '+15555550100' },
      ],
    },
    { alias: 'oncall', type: 'escalation', stages: [{ durationMinutes: 30, targets: [{ contact: 'ada', essential: true }] }] },
  ],
  tasks: [
    { id: 'triage', title: 'Triage', dueInHours: 30, assignee: 'ada' },
    {
      id: 'isolate',
      title: 'Isolate',
      phase: 'containment',
      binding: { type: 'response-action', action: 'isolate', params: { instance: '{{asset:ec2-instance}}' } },
    },
  ],
  tags: ['web'],
  ...over,
});

describe('plan files: validated strictly, hostile JSON refused with the field named', () => {
  const refused = (text: string) => {
    try {
      parsePlanJson(text, 'The plan');
    } catch (err) {
      return err as { code: string; message: string; hint: string };
    }
    throw new Error('accepted');
  };

  it('refuses what a hostile or broken file can hold, saying where', () => {
    expect(refused('{"format":"lariat-plan"')).toMatchObject({ code: 'invalid-plan', message: expect.stringContaining('not JSON') });
    expect(refused('['.repeat(200_000) + ']'.repeat(200_000))).toMatchObject({ code: 'invalid-plan' });
    expect(refused(' '.repeat(2_000_001)).message).toContain('larger than');
    const polluted = JSON.stringify(minimal()).replace('{', '{"__proto__":{"polluted":true},');
    expect(refused(polluted).message).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(refused(JSON.stringify({ ...minimal(), extra: 1 })).message).toMatch(/extra/);
    const longStage = minimal({
      engagements: [{ alias: 'x', type: 'escalation', stages: [{ durationMinutes: 31, targets: [{ contact: 'x' }] }] }],
    });
    expect(refused(JSON.stringify(longStage)).message).toContain(
      'engagements[0].stages[0].durationMinutes: an escalation stage lasts at most 30 minutes',
    );
    const dup = minimal({
      tasks: [
        { id: 'a', title: 'A' },
        { id: 'a', title: 'B' },
      ],
    });
    expect(refused(JSON.stringify(dup)).message).toContain('tasks[1].id: step id "a" is used twice');
    const stranger = minimal({
      engagements: [{ alias: 'esc', type: 'escalation', stages: [{ durationMinutes: 5, targets: [{ contact: 'nobody' }] }] }],
    });
    expect(refused(JSON.stringify(stranger)).message).toContain('escalation target "nobody"');
    expect(refused(JSON.stringify(minimal({ incident: { impact: 6 } as never }))).message).toContain('impact is 1 (critical) to 5');
    const script = minimal({ references: [{ title: 'x', url: 'javascript:alert(1)' }] });
    expect(refused(JSON.stringify(script)).message).toContain('https');
    expect(refused(JSON.stringify(minimal({ name: '../etc' }))).message).toContain('name');
  });

  it('round-trips: export then import gives the same plan', () => {
    const plan = parsePlanJson(JSON.stringify(minimal()));
    expect(parsePlanJson(serializePlan(plan))).toEqual(plan);
  });
});

describe('the plan library', () => {
  it('ships six playbooks that all validate, with NIST phases and bound steps', () => {
    const { plans, problems } = s.plans.plans.list();
    expect(problems).toEqual([]);
    expect(plans.map((p) => p.name).sort()).toEqual([
      'compromised-ec2-instance',
      'crypto-mining',
      'leaked-iam-access-key',
      'ransomware-on-s3',
      's3-data-exposure',
      'stolen-role-session',
    ]);
    for (const p of plans) {
      expect(p.kind, p.name).toBe('playbook');
      expect(p.phases, p.name).toEqual(expect.arrayContaining(['preparation', 'detection-analysis', 'containment', 'post-incident']));
      const detail = s.plans.plans.get(p.name).plan;
      expect(detail.tasks.filter((t) => t.binding).length, p.name).toBeGreaterThan(detail.tasks.length / 2);
      expect(PHASES.map((x) => x.id)).toEqual(expect.arrayContaining(detail.tasks.map((t) => t.phase)));
    }
  });

  it('imports, refuses a second import of the same name unless replace, exports, and deletes only stored plans', async () => {
    const json = JSON.stringify(minimal());
    expect((await call(s.handlers, 'importPlan', { json })).ok).toBe(true);
    const again = await call(s.handlers, 'importPlan', { json });
    expect(again).toMatchObject({ ok: false, error: { code: 'plan-exists' } });
    const replaced = await call(s.handlers, 'importPlan', { json: JSON.stringify(minimal({ title: 'Web outage v2' })), replace: true });
    expect(replaced).toMatchObject({ ok: true, value: { title: 'Web outage v2', origin: 'local' } });
    const exported = await call(s.handlers, 'exportPlan', { name: 'web-outage' });
    expect(exported.ok && (JSON.parse(exported.value.json) as { title: string }).title).toBe('Web outage v2');
    expect(await call(s.handlers, 'deletePlan', { name: 'crypto-mining' })).toMatchObject({
      ok: false,
      error: { code: 'plan-is-a-file' },
    });
    expect(await call(s.handlers, 'deletePlan', { name: 'web-outage' })).toMatchObject({ ok: true });
    expect(await call(s.handlers, 'getPlan', { name: 'web-outage' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const bad = await call(s.handlers, 'importPlan', { json: '{"format":"lariat-plan","version":2}' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-plan' } });
  });

  it("an organisation's edited copy replaces the shipped playbook; a broken file is reported, not loaded", () => {
    const dir = organisationPlaybookDir(s.dataDir);
    fs.mkdirSync(dir, { recursive: true });
    const shipped = fs.readFileSync(path.resolve('resources/playbooks/crypto-mining.yaml'), 'utf8');
    fs.writeFileSync(path.join(dir, 'crypto-mining.yaml'), shipped.replace('title: Crypto-mining', 'title: Crypto-mining (ACME)'));
    fs.writeFileSync(path.join(dir, 'broken.yaml'), 'format: lariat-plan\nname: Broken Name\n');
    fs.writeFileSync(
      path.join(dir, 'bomb.yaml'),
      `a: &a [x,x,x,x,x,x,x,x,x]\n${Array.from({ length: 60 }, (_, i) => `k${i}: &k${i} [*a,*a]`).join('\n')}\n`,
    );
    const { plans, problems } = s.plans.plans.list();
    expect(plans.find((p) => p.name === 'crypto-mining')).toMatchObject({ title: 'Crypto-mining (ACME)', origin: 'organisation' });
    expect(problems.map((p) => p.file).sort()).toEqual(['bomb.yaml', 'broken.yaml']);
    expect(problems.find((p) => p.file === 'broken.yaml')!.message).toContain('name');
  });
});

describe('a case started from a plan', () => {
  it('fills the incident defaults and creates the tasks, keeping the plan as applied', async () => {
    await call(s.handlers, 'importPlan', { json: JSON.stringify(minimal()) });
    const r = await call(s.handlers, 'createCaseFromPlan', { plan: 'web-outage', title: 'checkout 500s', regions: ['eu-west-1'] });
    if (!r.ok) throw new Error(r.error.message);
    const c = r.value;
    expect(c).toMatchObject({ title: '[web] checkout 500s', severity: 'critical', tlp: 'red', tags: ['web'], regions: ['eu-west-1'] });
    expect(c.summary).toBe('Opened 2026-11-27: impact 2 (High: complete failure of an application that impacts a subset of customers.)');
    const tasks = s.tasks.list(c.number);
    expect(tasks.map((t) => [t.title, t.assignee, t.dueDate])).toEqual([
      ['Triage', 'ada', '2026-11-28'],
      ['Isolate', '', null],
    ]);
    // A later change of the plan never rewrites what the case was started from.
    await call(s.handlers, 'importPlan', { json: JSON.stringify(minimal({ title: 'Changed', tasks: [] })), replace: true });
    const pb = s.plans.casePlaybooks.view(c.number);
    expect(pb.plan).toMatchObject({ name: 'web-outage', title: 'Web outage', origin: 'local', impact: 2 });
    expect(pb.plan!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(() => s.core.db.prepare('UPDATE case_plans SET plan_name = ?').run('x')).toThrow(/kept as applied/);
    expect(pb.engagements.map((x) => x.alias)).toEqual(['ada', 'oncall']);
    await expect(call(s.handlers, 'applyPlanToCase', { caseNumber: c.number, plan: 'crypto-mining' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'plan-already-applied' },
    });
    expect((await call(s.handlers, 'createCaseFromPlan', { plan: 'nope', title: 'x' })).ok).toBe(false);
  });

  it('shows each step with what it is bound to: pre-filled targets, and manual tasks for capabilities not in this build', async () => {
    const c = s.plans.casePlaybooks.createCase({ plan: 'leaked-iam-access-key', title: 'AKIA in GitHub' });
    s.core.assets.upsert({ caseNumber: c.number, kind: 'access-key', identifier: 'AKIAIOSFODNN7EXAMPLE' });
    const pb = s.plans.casePlaybooks.view(c.number);
    expect(pb.phases.map((p) => p.id)).toEqual([
      'preparation',
      'detection-analysis',
      'containment',
      'eradication',
      'recovery',
      'post-incident',
    ]);
    const steps = pb.phases.flatMap((p) => p.steps);
    const step = (id: string) => steps.find((x) => x.id === id)!;
    expect(step('everything-the-key-did')).toMatchObject({
      availability: { available: true },
      target: { tab: 'timeline', query: { where: 'accessKeyId=AKIAIOSFODNN7EXAMPLE' } },
    });
    expect(step('new-keys-and-users').target).toEqual({ tab: 'timeline', query: { highlight: 'access-key-created' } });
    // Credential containment is in this build (issue 15): the step opens the plan form, pre-filled with the key.
    expect(step('deactivate-key')).toMatchObject({
      availability: { available: true, reason: null },
      target: { tab: 'actions', query: { kind: 'credentials', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' } },
      manual: expect.stringContaining('update-access-key'),
    });
    // CloudTrail event history acquisition is in this build (the acquire feature): the step is live.
    expect(step('acquire-history').availability).toEqual({ available: true, reason: null });
    // Sigma rules are in this build (the detection feature): the rule step is live.
    expect(step('backdoor-users').availability).toEqual({ available: true, reason: null });
    expect(step('contain-runbook').target).toEqual({ tab: 'playbook', query: { runbook: 'AWSSupport-ContainIAMPrincipal' } });
    expect(step('analysis').target).toEqual({ tab: 'analysis', query: {} });
    expect(steps.every((x) => x.taskId !== null && x.taskStatus === 'todo')).toBe(true);
    expect(pb.actions).toEqual([{ name: 'credentials', availability: { available: true, reason: null } }]);

    const ec2 = s.plans.casePlaybooks.createCase({ plan: 'compromised-ec2-instance', title: 'web-1' });
    s.core.assets.upsert({ caseNumber: ec2.number, kind: 'ec2-instance', identifier: 'i-0abc1234def567890', region: 'eu-west-1' });
    const isolate = s.plans.casePlaybooks
      .view(ec2.number)
      .phases.flatMap((p) => p.steps)
      .find((x) => x.id === 'isolate')!;
    expect(isolate.target).toEqual({ tab: 'actions', query: { kind: 'isolate', instance: 'i-0abc1234def567890', region: 'eu-west-1' } });
  });

  it("writes a step's note template into the case notes once", async () => {
    const c = s.plans.casePlaybooks.createCase({ plan: 'compromised-ec2-instance', title: 'web-1' });
    const a = await call(s.handlers, 'addPlaybookNote', { caseNumber: c.number, stepId: 'scope-and-authorisation' });
    const b = await call(s.handlers, 'addPlaybookNote', { caseNumber: c.number, stepId: 'scope-and-authorisation' });
    expect(a.ok && b.ok && a.value.id === b.value.id).toBe(true);
    const notes = s.notes.list(c.number);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      title: 'Scope and authorisation',
      body: expect.stringContaining(`# Scope and authorisation (${c.number})`),
    });
    expect(await call(s.handlers, 'addPlaybookNote', { caseNumber: c.number, stepId: 'isolate' })).toMatchObject({
      ok: false,
      error: { code: 'not-a-note-step' },
    });
  });
});
