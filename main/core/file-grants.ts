import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { AppError } from './errors';

/** What a grant lets an operation do with its path. */
export type GrantPurpose = 'read' | 'write';

export interface FileGrant {
  path: string;
  purpose: GrantPurpose;
  /** The investigator already agreed to replace an existing file (the native save dialog asks; the CLI needs --force). */
  overwrite: boolean;
}

/** What the renderer may hold: an opaque token and a display name, never the path. */
export interface FileRef {
  token: string;
  name: string;
}

const TTL_MS = 30 * 60_000;
const MAX_LIVE = 10_000;

/**
 * File system locations chosen by the main process (native dialogs, dropped
 * files resolved by the preload, or paths typed on the command line) handed
 * out as opaque, single-use tokens. The renderer never names a path: it can
 * only pass back a token main gave it, for the purpose it was given for, once.
 * A compromised renderer therefore cannot make Lariat read or write a file the
 * investigator did not choose.
 */
export class FileGrants {
  private readonly live = new Map<string, FileGrant & { expires: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  grant(filePath: string, purpose: GrantPurpose, options: { overwrite?: boolean } = {}): FileRef {
    if (!path.isAbsolute(filePath)) filePath = path.resolve(filePath);
    this.sweep();
    const token = `ft_${randomBytes(16).toString('hex')}`;
    this.live.set(token, { path: filePath, purpose, overwrite: options.overwrite ?? false, expires: this.now() + TTL_MS });
    return { token, name: path.basename(filePath) };
  }

  /** Redeems a token once; a token that is unknown, used, expired or for another purpose is refused. */
  take(token: string, purpose: GrantPurpose): FileGrant {
    const g = this.live.get(token);
    this.live.delete(token);
    if (!g || g.expires < this.now() || g.purpose !== purpose) {
      throw new AppError(
        'file-token-invalid',
        purpose === 'read' ? 'That file choice is no longer valid.' : 'That save location is no longer valid.',
        'Choose the file or folder again (a choice can be used once, within 30 minutes).',
      );
    }
    return { path: g.path, purpose: g.purpose, overwrite: g.overwrite };
  }

  takeAll(tokens: readonly string[], purpose: GrantPurpose): string[] {
    return tokens.map((t) => this.take(t, purpose).path);
  }

  private sweep(): void {
    const now = this.now();
    for (const [t, g] of this.live) if (g.expires < now) this.live.delete(t);
    while (this.live.size >= MAX_LIVE) this.live.delete(this.live.keys().next().value as string);
  }
}
