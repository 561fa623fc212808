import { isObj, str, type Obj } from './types';

export interface Identity {
  principal: string | null;
  callerAccount: string | null;
  sessionName: string | null;
  identityType: string | null;
}

/** `arn:aws:sts::123:assumed-role/Role/Session` → [Role, Session]; `...:federated-user/Name` → [null, Name]. */
function fromArn(arn: string | null): { role: string | null; session: string | null; user: string | null } {
  if (!arn) return { role: null, session: null, user: null };
  const res = arn.split(':').slice(5).join(':');
  const assumed = /^assumed-role\/(?:.*\/)?([^/]+)\/([^/]+)$/.exec(res);
  if (assumed) return { role: assumed[1]!, session: assumed[2]!, user: null };
  const fed = /^federated-user\/(.+)$/.exec(res);
  if (fed) return { role: null, session: fed[1]!, user: null };
  const user = /^user\/(?:.*\/)?([^/]+)$/.exec(res);
  if (user) return { role: null, session: null, user: user[1]! };
  const role = /^role\/(?:.*\/)?([^/]+)$/.exec(res);
  if (role) return { role: role[1]!, session: null, user: null };
  return { role: null, session: null, user: null };
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
