import { afterEach, describe, expect, it } from 'vitest';
import { runCaptured } from '../../helpers/cli';
import { AWS_ENV, lariatWithModel, type LariatEnv } from '../../aws-model/lariat-env';
import { KEY, USER, seedCredentials, seedTrail } from '../../aws-model/scenario-iam';
import type { IamUsersState } from '../../aws-model/modules/iam-users';
import type { ActionSummary, UseCheck } from '../../../common/contract/response';

let e: LariatEnv;
afterEach(() => e?.cleanup());

/** Runs the CLI in-process on the modelled AWS's services (left open: the fixture closes them). */
const cli = (...argv: string[]) =>
  runCaptured(argv, {
    env: { ...AWS_ENV, LARIAT_DATA_DIR: e.dataDir },
    services: () => ({ ...e.services, response: e.feature, close: () => undefined }),
  });
const status = () => e.model.slice<IamUsersState>('iam-users').users[USER]!.keys.map((k) => k.Status);

describe('lariat respond credentials / role-sessions / check-use / release --action', () => {
  it('plans from a key id without changing anything, runs with --yes, checks use, and releases by action number', async () => {
    e = lariatWithModel();
    seedCredentials(e.model);
    const planned = await cli('respond', 'credentials', '--case', e.caseNumber, '--access-key-id', KEY, '--plan');
    expect(planned.code).toBe(0);
    expect(planned.out).toContain('iam:UpdateAccessKey');
    expect(planned.out).toContain('iam:PutUserPolicy');
    expect(planned.out).toMatch(/Nothing was changed/);
    expect(status()).toEqual(['Active', 'Active']);

    // Without a terminal and without --yes, nothing runs.
    const refused = await cli('respond', 'resume', '1');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/user name/);
    expect(status()).toEqual(['Active', 'Active']);

    const ran = await cli('respond', 'resume', '1', '--yes');
    expect(ran.code).toBe(0);
    expect(status()).toEqual(['Inactive', 'Active']);

    seedTrail(e.model, e.feature.response.get(1).startedAt!, 3);
    e.clock.advance(3600_000);
    const used = await cli('respond', 'check-use', '--action', '1', '--json');
    expect(used.code).toBe(0);
    expect((JSON.parse(used.out) as UseCheck).calls).toBe(3);

    const rel = await cli('respond', 'release', '--action', '1', '--yes');
    expect(rel.code).toBe(0);
    expect(status()).toEqual(['Active', 'Active']);
    const list = await cli('respond', 'list', '--case', e.caseNumber, '--json');
    expect((JSON.parse(list.out) as ActionSummary[]).map((a) => [a.kind, a.target.type, a.releaseOf, a.state])).toEqual([
      ['credentials-release', 'iam-user', 1, 'succeeded'],
      ['credentials', 'iam-user', null, 'succeeded'],
    ]);
  });

  it('role-sessions refuses a service-linked role, and releases an EC2 isolation by action number too', async () => {
    e = lariatWithModel();
    seedCredentials(e.model);
    const slr = await cli('respond', 'role-sessions', '--case', e.caseNumber, '--role', 'AWSServiceRoleForAutoScaling', '--yes');
    expect(slr.code).toBe(1);
    expect(slr.err).toMatch(/service-linked role/);
    const iso = await e.plan('isolate');
    await e.run(iso.id);
    const rel = await cli('respond', 'release', '--action', String(iso.id), '--plan');
    expect(rel.code).toBe(0);
    expect(rel.out).toContain('ec2:ModifyNetworkInterfaceAttribute');
  });
});
