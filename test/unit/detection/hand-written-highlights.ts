// The timeline's hand-written highlights as they were before they became Sigma rules of the detection
// engine (main/detection/highlight.ts). Kept only as the oracle the rules are held against.
import type { HighlightRule } from '../../../common/contract/timeline';
import { isObj, type Obj } from '../../../main/timeline/importers/types';

interface Rule extends HighlightRule {
  match(eventName: string, record: Obj): boolean;
}

const names = (...n: string[]) => {
  const set = new Set(n);
  return (eventName: string) => set.has(eventName);
};

const loginResult = (r: Obj): string | null => {
  const re = r.responseElements;
  return isObj(re) && typeof re.ConsoleLogin === 'string' ? re.ConsoleLogin : null;
};

const requestText = (r: Obj): string => JSON.stringify(r.requestParameters ?? null);

/**
 * CloudTrail events investigators always look for, each with why. The first
 * matching rule wins; the rule id is stored on the event so "show me only
 * these" is an indexed filter.
 */
const rules: Rule[] = [
  {
    id: 'console-login-failure',
    label: 'Console login failure',
    explanation: 'A failed AWS console sign-in: repeated failures suggest password guessing.',
    match: (n, r) => n === 'ConsoleLogin' && (loginResult(r) === 'Failure' || typeof r.errorMessage === 'string'),
  },
  {
    id: 'console-login',
    label: 'Console login',
    explanation: 'A successful AWS console sign-in: check who, from where, and whether MFA was used.',
    match: (n) => n === 'ConsoleLogin',
  },
  {
    id: 'logging-tampered',
    label: 'Logging stopped or changed',
    explanation: 'CloudTrail, GuardDuty or flow logging was stopped, deleted or reconfigured: a classic step to blind defenders.',
    match: names(
      'StopLogging',
      'DeleteTrail',
      'UpdateTrail',
      'PutEventSelectors',
      'DeleteFlowLogs',
      'DeleteDetector',
      'UpdateDetector',
      'DisableSecurityHub',
      'DeleteConfigurationRecorder',
      'StopConfigurationRecorder',
    ),
  },
  {
    id: 'iam-user-created',
    label: 'IAM user or login created',
    explanation: 'A new IAM user or console password: a common way to keep access after the first compromise.',
    match: names('CreateUser', 'CreateLoginProfile', 'UpdateLoginProfile'),
  },
  {
    id: 'access-key-created',
    label: 'Access key created',
    explanation: 'A new long-lived access key: attackers mint keys to persist beyond a stolen session.',
    match: names('CreateAccessKey'),
  },
  {
    id: 'iam-policy-changed',
    label: 'IAM policy attached or changed',
    explanation: 'Permissions were granted (policy attached, inline policy written, group membership): look for privilege escalation.',
    match: names(
      'AttachUserPolicy',
      'AttachRolePolicy',
      'AttachGroupPolicy',
      'PutUserPolicy',
      'PutRolePolicy',
      'PutGroupPolicy',
      'CreatePolicyVersion',
      'SetDefaultPolicyVersion',
      'AddUserToGroup',
    ),
  },
  {
    id: 'assume-role-policy',
    label: 'Role trust policy changed',
    explanation: 'UpdateAssumeRolePolicy changes who may assume a role: a way to let an outside account in.',
    match: names('UpdateAssumeRolePolicy'),
  },
  {
    id: 'snapshot-ami-shared',
    label: 'Snapshot or AMI shared',
    explanation: 'A snapshot or image permission was changed: sharing it with another account copies your disks out.',
    match: names('ModifySnapshotAttribute', 'ModifyImageAttribute', 'ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute'),
  },
  {
    id: 'sg-open-world',
    label: 'Security group opened to the world',
    explanation: 'Inbound access from 0.0.0.0/0 or ::/0 was allowed: the instance is reachable from the internet.',
    match: (n, r) => n === 'AuthorizeSecurityGroupIngress' && /0\.0\.0\.0\/0|::\/0/.test(requestText(r)),
  },
  {
    id: 'get-password-data',
    label: 'Windows password retrieved',
    explanation: 'GetPasswordData returns the encrypted Windows administrator password of an instance.',
    match: names('GetPasswordData'),
  },
  {
    id: 'remote-command',
    label: 'Command run on an instance',
    explanation: 'SSM SendCommand or StartSession runs commands on instances: remote execution without SSH.',
    match: names('SendCommand', 'StartSession'),
  },
];

export const highlightRules: HighlightRule[] = rules.map(({ id, label, explanation }) => ({ id, label, explanation }));

export const highlightIds = new Set(rules.map((r) => r.id));

/** The id of the first rule a CloudTrail record matches, or null. */
export function highlightFor(eventName: string | null, record: Obj): string | null {
  if (!eventName) return null;
  for (const r of rules) if (r.match(eventName, record)) return r.id;
  return null;
}
