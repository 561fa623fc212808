import { AppError } from '../../core/errors';
import type { Plan, StepSpec } from '../plans/types';
import { defineActionKind, type StoredAction } from './registry';
import { REVOKE_OLDER_SESSIONS, changed, iamRead, nameFromArn, notFound, revokeOlderDocument } from './iam-common';

/** What the containment saw before writing (a console revocation already there is put back by release). */
export interface RoleSessionsRecord {
  role: { RoleName: string; Arn: string | null; Path: string };
  /** The AWSRevokeOlderSessions document the role had before, if any. */
  previous: unknown;
}

/**
 * Role session compromise (a stolen instance-role session, an assumed role):
 * the AWSRevokeOlderSessions inline deny on aws:TokenIssueTime that the IAM
 * console's "Revoke active sessions" writes, with the cut-off at the moment
 * the step runs. New sessions keep working; every older one is denied.
 * Service-linked roles are refused: IAM does not let anyone change them.
 */
defineActionKind({
  kind: 'role-sessions',
  label: 'Revoke sessions of',
  async prepare(input, env) {
    const region = input.region ?? env.region();
    const RoleName = input.role.startsWith('arn:') ? nameFromArn(input.role) : input.role;
    const out = await iamRead<{ Role?: { Arn?: string; Path?: string } }>(env, region, 'GetRole', { RoleName }).catch((err: unknown) =>
      notFound(`IAM role ${RoleName}`, err),
    );
    const path = out.Role?.Path ?? '/';
    if (path.startsWith('/aws-service-role/'))
      throw new AppError(
        'service-linked-role',
        `${RoleName} is a service-linked role (path ${path}): AWS owns its policies and refuses any change, so its sessions cannot be revoked this way.`,
        'Contain what uses it instead (disable the service feature, isolate the instance), or contain the principal that abused it.',
      );
    let previous: unknown = null;
    try {
      const p = await iamRead<{ PolicyDocument?: string }>(env, region, 'GetRolePolicy', { RoleName, PolicyName: REVOKE_OLDER_SESSIONS });
      previous = JSON.parse(decodeURIComponent(p.PolicyDocument ?? ''));
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'aws-not-found')) throw err;
    }
    const recorded: RoleSessionsRecord = { role: { RoleName, Arn: out.Role?.Arn ?? null, Path: path }, previous };
    const account = /^arn:aws[\w-]*:iam::(\d{12}):/.exec(recorded.role.Arn ?? '')?.[1] ?? env.account();
    return {
      target: { type: 'iam-role', id: RoleName, region },
      account,
      options: input.options,
      build: () => planRoleSessions(recorded, region),
    };
  },
  release(action) {
    return Promise.resolve({
      kind: 'role-sessions-release' as const,
      target: action.target,
      account: action.account,
      options: {},
      build: () => planRoleSessionsRelease(action, action.recorded as unknown as RoleSessionsRecord),
    });
  },
});

defineActionKind({
  kind: 'role-sessions-release',
  label: 'Release session revocation of',
  prepare() {
    return Promise.reject(
      new AppError(
        'plan-release-by-action',
        'A revocation release is planned from the revocation it undoes.',
        'Use: lariat respond release --action N',
      ),
    );
  },
});

function planRoleSessions(r: RoleSessionsRecord, region: string): Plan {
  const RoleName = r.role.RoleName;
  const warnings = [
    'Sessions issued after the step runs keep working: whoever can still assume the role (its trust policy, an instance profile) gets a new one. Contain that too.',
  ];
  if (r.previous)
    warnings.push(
      `The role already has ${REVOKE_OLDER_SESSIONS} (an earlier revocation): it is replaced with a later cut-off, and release puts it back.`,
    );
  const steps: StepSpec[] = [
    {
      key: 'evidence',
      title: `Save role ${RoleName} as evidence: role, inline and attached policies`,
      kind: 'evidence-collect',
      service: 'iam',
      region,
      operation: 'GetRole',
      request: { Collector: 'iam-role', RoleName },
    },
    {
      key: 'revoke-sessions',
      title: `Deny every session of role ${RoleName} issued before now (${REVOKE_OLDER_SESSIONS})`,
      kind: 'revoke-sessions',
      service: 'iam',
      region,
      operation: 'PutRolePolicy',
      request: { RoleName, PolicyName: REVOKE_OLDER_SESSIONS, PolicyDocument: revokeOlderDocument() },
    },
  ];
  return { steps, warnings, recorded: r as unknown as Record<string, unknown> };
}

function planRoleSessionsRelease(action: StoredAction, r: RoleSessionsRecord): Plan {
  const RoleName = r.role.RoleName;
  const step = action.steps.find((s) => s.key === 'revoke-sessions');
  const steps: StepSpec[] = [];
  const warnings: string[] = [];
  if (changed(step)) {
    steps.push(
      r.previous
        ? {
            key: 'revoke-sessions',
            title: `Put back the ${REVOKE_OLDER_SESSIONS} policy ${RoleName} had before`,
            kind: 'put-policy',
            service: 'iam',
            region: action.region,
            operation: 'PutRolePolicy',
            request: { RoleName, PolicyName: REVOKE_OLDER_SESSIONS, PolicyDocument: r.previous },
          }
        : {
            key: 'revoke-sessions',
            title: `Remove the ${REVOKE_OLDER_SESSIONS} policy from ${RoleName}`,
            kind: 'call',
            service: 'iam',
            region: action.region,
            operation: 'DeleteRolePolicy',
            request: { RoleName, PolicyName: REVOKE_OLDER_SESSIONS },
          },
    );
  } else warnings.push('The revocation never changed the role: there is nothing to remove.');
  return { steps, warnings, recorded: { releaseOf: action.id, restored: r } };
}
