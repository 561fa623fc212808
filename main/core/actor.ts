import os from 'node:os';

/** Who is acting: written into the activity log and, with a key fingerprint, into custody entries. */
export interface Actor {
  name: string;
  fingerprint: string | null;
}

/** Before an investigator identity exists, actions are attributed to the OS account. */
export function osActor(): Actor {
  let name = 'unknown';
  try {
    name = os.userInfo().username;
  } catch {
    // Some sandboxes have no passwd entry.
  }
  return { name, fingerprint: null };
}
