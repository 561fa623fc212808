import { isObj, str, type Obj } from './types';

export interface Identity {
  principal: string | null;
  callerAccount: string | null;
  sessionName: string | null;
  identityType: string | null;
}

type ArnParts = { role: string | null; session: string | null; user: string | null };
const NO_PARTS: Readonly<ArnParts> = { role: null, session: null, user: null };
const ASSUMED_ROLE = /^assumed-role\/(?:.*\/)?([^/]+)\/([^/]+)$/;
const FEDERATED_USER = /^federated-user\/(.+)$/;
const IAM_USER = /^user\/(?:.*\/)?([^/]+)$/;
const IAM_ROLE = /^role\/(?:.*\/)?([^/]+)$/;

/**
 * `arn:aws:sts::123:assumed-role/Role/Session` → [Role, Session]; `...:federated-user/Name` → [null, Name].
 * The resource part (after the fifth `:`) is found by indexOf and only the pattern its prefix names is tried:
 * this runs once or twice per CloudTrail record, and a split/slice/join plus up to four patterns was a
 * visible share of the parse thread.
 */
function fromArn(arn: string | null): Readonly<ArnParts> {
  if (!arn) return NO_PARTS;
  let at = -1;
  for (let colons = 0; colons < 5; colons++) {
    at = arn.indexOf(':', at + 1);
    if (at < 0) return NO_PARTS;
  }
  const res = arn.slice(at + 1);
  let m: RegExpExecArray | null;
  if (res.startsWith('assumed-role/')) {
    if ((m = ASSUMED_ROLE.exec(res))) return { role: m[1]!, session: m[2]!, user: null };
  } else if (res.startsWith('federated-user/')) {
    if ((m = FEDERATED_USER.exec(res))) return { role: null, session: m[1]!, user: null };
  } else if (res.startsWith('user/')) {
    if ((m = IAM_USER.exec(res))) return { role: null, session: null, user: m[1]! };
  } else if (res.startsWith('role/')) {
    if ((m = IAM_ROLE.exec(res))) return { role: m[1]!, session: null, user: null };
  }
  return NO_PARTS;
}

/**
 * Who made a CloudTrail call, as columns an investigator pivots on: the
 * principal by name (IAM user, the role behind any of its sessions, the
 * Identity Center user, `root`), the caller's own account (which differs from
 * the recipient account for cross-account calls), the session name and the
 * identity type. "Everything role Y did" is then `principal = Y`.
 */
export function identityOf(ui: unknown): Identity {
  if (!isObj(ui)) return { principal: null, callerAccount: null, sessionName: null, identityType: null };
  const u: Obj = ui;
  const type = str(u.type);
  const issuer = isObj(u.sessionContext) && isObj(u.sessionContext.sessionIssuer) ? u.sessionContext.sessionIssuer : null;
  const arn = fromArn(str(u.arn));
  const onBehalfOf = isObj(u.onBehalfOf) ? u.onBehalfOf : null;
  let principal: string | null;
  switch (type) {
    case 'Root':
      principal = 'root';
      break;
    case 'AssumedRole':
      principal = str(issuer?.userName) ?? arn.role ?? fromArn(str(issuer?.arn)).role;
      break;
    case 'FederatedUser':
      principal = str(issuer?.userName) ?? arn.session;
      break;
    case 'IdentityCenterUser':
      principal = str(onBehalfOf?.userId) ?? str(u.userName) ?? str(u.principalId);
      break;
    default:
      principal = str(u.userName) ?? arn.user ?? arn.role ?? str(issuer?.userName) ?? str(u.invokedBy) ?? str(u.principalId);
  }
  const session =
    arn.session ?? (type === 'AssumedRole' && typeof u.principalId === 'string' ? (u.principalId.split(':')[1] ?? null) : null);
  return {
    principal,
    callerAccount: str(u.accountId) ?? str(issuer?.accountId),
    sessionName: session || null,
    identityType: type,
  };
}
