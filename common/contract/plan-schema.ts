import * as z from 'zod';
import { AwsRegion, Severity, Tag, Tlp, text } from './common';
import { TimelineColumn } from './timeline';

/**
 * The portable format of a response plan or playbook: what `lariat plan
 * export` writes, `lariat plan import` reads and resources/playbooks/*.yaml
 * hold. Every object is strict and every string and list bounded, so a
 * hostile file is refused with the path of the first bad field instead of
 * being stored.
 */

/** Incident Manager's impact scale, with its own meanings. */
/**
 * Largest plan text Lariat reads: the biggest shipped playbook is ~20 KB; this leaves room for long notes.
 * Here, not beside the plan parser: the CLI checks a file's size before reading it, and every CLI start
 * loads this contract, while the parser brings the YAML library with it.
 */
export const MAX_PLAN_BYTES = 2_000_000;

export const IMPACT_MEANINGS = {
  1: 'Critical: full application failure that impacts many to all customers.',
  2: 'High: complete failure of an application that impacts a subset of customers.',
  3: 'Medium: partial failure of an application that impacts a subset of customers.',
  4: 'Low: intermittent failures that impact a subset of customers.',
  5: 'No impact: customers are not currently impacted, but urgent action is needed to avoid impact.',
} as const;
export const Impact = z.number().int().min(1, 'impact is 1 (critical) to 5 (no impact)').max(5, 'impact is 1 (critical) to 5 (no impact)');

/** The NIST SP 800-61r3 / AWS playbook phases a step belongs to. */
export const PHASES = [
  { id: 'preparation', title: 'Preparation' },
  { id: 'detection-analysis', title: 'Detection and analysis' },
  { id: 'containment', title: 'Containment' },
  { id: 'eradication', title: 'Eradication' },
  { id: 'recovery', title: 'Recovery' },
  { id: 'post-incident', title: 'Post-incident activity' },
] as const;
export const Phase = z.enum(PHASES.map((p) => p.id) as [string, ...string[]]);
export type Phase = (typeof PHASES)[number]['id'];

export const PlanName = text().regex(
  /^[a-z0-9][a-z0-9-]{0,62}$/,
  'a plan name is 1-63 lowercase letters, digits and hyphens, e.g. compromised-ec2-instance',
);
const Slug = text().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'an id is lowercase letters, digits and hyphens');
const Title = text().trim().min(1).max(200);
const Text = (max: number) => text().max(max);
const Name = text().regex(/^[\w.+-]{1,64}$/, 'a name is letters, digits and ._+-');
const ParamValue = z.union([text().max(1024), z.number().finite(), z.boolean()]);
const Params = z.record(Name, ParamValue).refine((r) => Object.keys(r).length <= 30, 'at most 30 parameters');
export const ResponsePlanArn = text().regex(
  /^arn:aws[\w-]*:ssm-incidents::\d{12}:response-plan\/[\w.-]{1,200}$/,
  'a response plan ARN looks like arn:aws:ssm-incidents::123456789012:response-plan/name',
);
export const ContactArn = text().regex(
  /^arn:aws[\w-]*:ssm-contacts:[a-z0-9-]+:\d{12}:contact\/[\w-]{1,255}$/,
  'a contact ARN looks like arn:aws:ssm-contacts:...:contact/alias',
);
export const DocumentName = text().regex(/^[a-zA-Z0-9_.:/-]{3,128}$/, 'an SSM document name is 3-128 letters, digits and _.-:/');

/** A way to reach a contact: Incident Manager's e-mail, SMS and voice channels. */
export const ContactChannel = z
  .object({
    type: z.enum(['email', 'sms', 'voice']),
    address: text().trim().min(3).max(320),
    name: Text(200).optional(),
  })
  .strict();

/** One stage of an escalation plan: whom to engage, then wait at most 30 minutes (Incident Manager's limit). */
export const EscalationStage = z
  .object({
    durationMinutes: z.number().int().min(0).max(30, 'an escalation stage lasts at most 30 minutes (Incident Manager enforces this)'),
    targets: z
      .array(z.object({ contact: text().min(1).max(255), essential: z.boolean().default(false) }).strict())
      .min(1)
      .max(20),
  })
  .strict();

/** A person to engage (channels) or an escalation plan (stages of contacts). */
export const Contact = z
  .object({
    alias: text().regex(/^[a-z0-9_-]{1,255}$/, 'a contact alias is lowercase letters, digits, _ and -'),
    displayName: Text(255).optional(),
    type: z.enum(['personal', 'escalation']),
    channels: z.array(ContactChannel).max(10).default([]),
    stages: z.array(EscalationStage).max(10).default([]),
    arn: ContactArn.optional(),
  })
  .strict()
  .refine((c) => c.type !== 'escalation' || c.stages.length > 0, 'an escalation plan needs at least one stage');
export type Contact = z.output<typeof Contact>;

/**
 * What a step is bound to: something Lariat can do. Names of response
 * actions, acquisitions and rules are resolved against this build when the
 * playbook is shown; one that does not exist here becomes a manual task.
 */
export const StepBinding = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('response-action'),
      action: Slug,
      /** Pre-filled fields; `{{asset:ec2-instance}}`, `{{asset:access-key}}`... pick the case's first asset of that kind. */
      params: Params.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('timeline'),
      highlight: Slug.optional(),
      where: z
        .array(z.object({ column: TimelineColumn, value: text().max(512) }).strict())
        .max(10)
        .optional(),
      search: text().max(500).optional(),
      flagged: z.boolean().optional(),
      errorsOnly: z.boolean().optional(),
    })
    .strict(),
  z.object({ type: z.literal('rule'), rule: text().regex(/^[\w:.-]{1,128}$/) }).strict(),
  z.object({ type: z.literal('acquisition'), acquisition: Slug, params: Params.optional() }).strict(),
  z.object({ type: z.literal('note'), title: Title, template: Text(20_000) }).strict(),
  z.object({ type: z.literal('runbook'), documentName: DocumentName, parameters: Params.optional() }).strict(),
  z.object({ type: z.literal('incident'), action: z.enum(['start', 'sync', 'resolve']) }).strict(),
  z.object({ type: z.literal('analysis') }).strict(),
]);
export type StepBinding = z.output<typeof StepBinding>;

/** A task the plan creates in the case; in a playbook, a step of a phase. */
export const PlanTask = z
  .object({
    id: Slug,
    title: text().trim().min(1).max(200),
    phase: Phase.optional(),
    description: Text(20_000).optional(),
    assignee: Text(200).optional(),
    /** Due this many hours after the case is opened. */
    dueInHours: z
      .number()
      .int()
      .min(0)
      .max(24 * 365)
      .optional(),
    binding: StepBinding.optional(),
    /** What to do by hand when the bound capability is not part of this build. */
    manual: Text(4000).optional(),
  })
  .strict();
export type PlanTask = z.output<typeof PlanTask>;

export const Plan = z
  .object({
    format: z.literal('lariat-plan'),
    version: z.literal(1),
    name: PlanName,
    kind: z.enum(['plan', 'playbook']),
    title: Title,
    description: Text(20_000).default(''),
    incident: z
      .object({
        /** `{{title}}` is what the investigator typed, `{{plan}}` the plan title, `{{date}}` today (UTC). */
        titleTemplate: Text(300).default('{{title}}'),
        impact: Impact.default(3),
        severity: Severity.default('medium'),
        summaryTemplate: Text(20_000).default(''),
        tlp: Tlp.default('amber'),
      })
      .strict(),
    engagements: z.array(Contact).max(50).default([]),
    chatChannel: z
      .array(text().regex(/^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/))
      .max(5)
      .default([]),
    tasks: z.array(PlanTask).max(200).default([]),
    runbooks: z
      .array(z.object({ documentName: DocumentName, label: Text(200).optional(), parameters: Params.optional() }).strict())
      .max(50)
      .default([]),
    /** Lariat response actions to offer, by name (isolate, snapshot, memory, credentials...). */
    actions: z.array(Slug).max(50).default([]),
    tags: z.array(Tag).max(50).default([]),
    incidentManager: z.object({ responsePlanArn: ResponsePlanArn.optional(), region: AwsRegion.optional() }).strict().optional(),
    references: z
      .array(z.object({ title: Title, url: text().regex(/^https:\/\/[\w.-]+\/[\w./%?=&#~+-]*$/, 'references are https URLs') }).strict())
      .max(20)
      .default([]),
  })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.tasks.forEach((t, i) => {
      if (seen.has(t.id)) ctx.addIssue({ code: 'custom', path: ['tasks', i, 'id'], message: `step id "${t.id}" is used twice` });
      seen.add(t.id);
    });
    const aliases = new Set(p.engagements.map((c) => c.alias));
    p.engagements.forEach((c, i) =>
      c.stages.forEach((s, j) =>
        s.targets.forEach((t, k) => {
          if (!aliases.has(t.contact))
            ctx.addIssue({
              code: 'custom',
              path: ['engagements', i, 'stages', j, 'targets', k, 'contact'],
              message: `escalation target "${t.contact}" is not one of the plan's contacts`,
            });
        }),
      ),
    );
  });
export type Plan = z.output<typeof Plan>;
export type PlanInput = z.input<typeof Plan>;
