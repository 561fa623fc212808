import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../core/core';
import { osActor } from '../core/actor';
import { ensureDir } from '../core/paths';
import { AppError, notFound } from '../core/errors';
import type { IdentityCreateInput, IdentityInfo } from '../../common/contract/custody';
import { fingerprintOf, generateKeyPair, parseEd25519PublicKey, signBytes } from './keys';
import type { TrustStore } from './trust-store';

interface Row {
  id: number;
  name: string;
  role: string;
  organisation: string;
  contact: string;
  public_key_pem: string;
  fingerprint: string;
  key_storage: IdentityInfo['keyStorage'];
  is_current: number;
  demo: number;
  created_at: string;
}

/** Something that can sign custody entries as one investigator. */
export interface Signer {
  name: string;
  fingerprint: string;
  sign(message: Uint8Array): Buffer;
}

const toInfo = (r: Row): IdentityInfo => ({
  name: r.name,
  role: r.role,
  organisation: r.organisation,
  contact: r.contact,
  fingerprint: r.fingerprint,
  publicKeyPem: r.public_key_pem,
  keyStorage: r.key_storage,
  current: r.is_current === 1,
  demo: r.demo === 1,
  createdAt: r.created_at,
});

/**
 * Investigator identities and their Ed25519 keys. Private keys never leave
 * the main process: inside Electron they are encrypted with safeStorage (the
 * OS keychain), elsewhere they sit in a 0600 key file in the keys folder.
 * Public keys are never deleted or changed (triggers), so every signature in
 * a ledger stays checkable.
 */
export class IdentityService {
  private readonly keys = new Map<string, crypto.KeyObject>();
  private readonly publicKeys = new Map<string, crypto.KeyObject | null>();
  private readonly currentRow;
  private readonly byFp;

  constructor(
    private readonly core: Core,
    private readonly trust?: TrustStore,
  ) {
    this.currentRow = core.db.prepare<[], Row>('SELECT * FROM investigators WHERE is_current = 1');
    this.byFp = core.db.prepare<[string], Row>('SELECT * FROM investigators WHERE fingerprint = ?');
    core.setActorSource(() => {
      const row = this.currentRow.get();
      return row ? { name: row.name, fingerprint: row.fingerprint } : osActor();
    });
  }

  current(): IdentityInfo | null {
    const row = this.currentRow.get();
    return row ? toInfo(row) : null;
  }

  list(): IdentityInfo[] {
    return this.core.db.prepare<[], Row>('SELECT * FROM investigators ORDER BY is_current DESC, id').all().map(toInfo);
  }

  get(fingerprint: string): IdentityInfo {
    const row = this.byFp.get(fingerprint);
    if (!row)
      throw notFound(
        'Investigator key',
        fingerprint,
        'List the known identities with `lariat identity show --json`, or register the key first.',
      );
    return toInfo(row);
  }

  /**
   * The public key recorded for a fingerprint, or null when none is recorded
   * or the recorded key does not hash to that fingerprint (a swapped key).
   */
  publicKey(fingerprint: string): crypto.KeyObject | null {
    const row = this.byFp.get(fingerprint);
    if (!row) return null;
    const cacheKey = `${fingerprint}\n${row.public_key_pem}`;
    if (!this.publicKeys.has(cacheKey)) {
      let key: crypto.KeyObject | null = null;
      try {
        const k = crypto.createPublicKey(row.public_key_pem);
        if (k.asymmetricKeyType === 'ed25519' && fingerprintOf(k) === fingerprint) key = k;
      } catch {
        key = null;
      }
      this.publicKeys.set(cacheKey, key);
    }
    return this.publicKeys.get(cacheKey) ?? null;
  }

  /** Public key PEM of an identity (default: the current one). */
  exportPublicKey(fingerprint?: string): { fingerprint: string; pem: string } {
    const info = fingerprint ? this.get(fingerprint) : this.requireCurrent();
    return { fingerprint: info.fingerprint, pem: info.publicKeyPem };
  }

  /** Creates an identity with a new key pair and makes it current. `demo` marks the clearly-labelled demo investigator. */
  create(input: IdentityCreateInput, options: { demo?: boolean } = {}): IdentityInfo {
    const { core } = this;
    const safe = core.safeStorage;
    if (safe && !safe.isEncryptionAvailable()) {
      throw new AppError(
        'key-storage-unavailable',
        'Lariat cannot protect a private key on this system: the OS keychain (safeStorage) reports that encryption is unavailable.',
        'Unlock or set up the OS keychain (on Linux: a Secret Service such as GNOME Keyring or KWallet) and try again. No identity was created.',
      );
    }
    const pair = generateKeyPair();
    ensureDir(core.paths.keysDir);
    const keyFile = path.join(core.paths.keysDir, safe ? `${pair.fingerprint}.key.enc` : `${pair.fingerprint}.pem`);
    const content = safe ? safe.encryptString(pair.privatePem) : pair.privatePem;
    fs.writeFileSync(keyFile, content, { mode: 0o600, flag: 'wx' });
    fs.chmodSync(keyFile, 0o600);
    try {
      core.db.transaction(() => {
        core.db.prepare('UPDATE investigators SET is_current = 0 WHERE is_current = 1').run();
        core.db
          .prepare(
            `INSERT INTO investigators (name, role, organisation, contact, public_key_pem, fingerprint, key_storage, is_current, demo, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
          )
          .run(
            input.name.trim(),
            input.role?.trim() ?? '',
            input.organisation?.trim() ?? '',
            input.contact?.trim() ?? '',
            pair.publicPem,
            pair.fingerprint,
            safe ? 'safe-storage' : 'key-file',
            options.demo ? 1 : 0,
            core.clock.now().toISOString(),
          );
        core.activity.record({
          caseId: null,
          action: 'identity.created',
          entity: 'investigator',
          entityId: pair.fingerprint,
          details: { name: input.name, demo: options.demo ?? false },
        });
      })();
    } catch (err) {
      fs.rmSync(keyFile, { force: true });
      throw err;
    }
    // Your own key is a trust anchor of your verifications (the trust list says so, and can be changed in Settings).
    this.trust?.add({ fingerprint: pair.fingerprint, name: input.name.trim(), source: 'own' });
    return this.get(pair.fingerprint);
  }

  /** Registers someone else's public key (a receiver signing on their own machine, or the sender of a bundle). */
  addPublicKey(input: IdentityCreateInput & { publicKeyPem: string }): IdentityInfo {
    const key = parseEd25519PublicKey(input.publicKeyPem);
    const fingerprint = fingerprintOf(key);
    const existing = this.byFp.get(fingerprint);
    if (existing) return toInfo(existing);
    const pem = key.export({ type: 'spki', format: 'pem' }).toString();
    this.core.db.transaction(() => {
      this.core.db
        .prepare(
          `INSERT INTO investigators (name, role, organisation, contact, public_key_pem, fingerprint, key_storage, is_current, demo, created_at)
           VALUES (?, ?, ?, ?, ?, ?, 'public-only', 0, 0, ?)`,
        )
        .run(
          input.name.trim(),
          input.role?.trim() ?? '',
          input.organisation?.trim() ?? '',
          input.contact?.trim() ?? '',
          pem,
          fingerprint,
          this.core.clock.now().toISOString(),
        );
      this.core.activity.record({
        caseId: null,
        action: 'identity.key-added',
        entity: 'investigator',
        entityId: fingerprint,
        details: { name: input.name },
      });
    })();
    return this.get(fingerprint);
  }

  /** Switches the current identity to another one whose private key is on this machine. */
  use(fingerprint: string): IdentityInfo {
    const info = this.get(fingerprint);
    if (info.keyStorage === 'public-only') {
      throw new AppError(
        'no-private-key',
        `${info.name}'s private key is not on this machine, so Lariat cannot act as them.`,
        'Create your own identity, or switch to one created here.',
      );
    }
    this.core.db.transaction(() => {
      this.core.db.prepare('UPDATE investigators SET is_current = 0 WHERE is_current = 1').run();
      this.core.db.prepare('UPDATE investigators SET is_current = 1 WHERE fingerprint = ?').run(fingerprint);
      this.core.activity.record({
        caseId: null,
        action: 'identity.switched',
        entity: 'investigator',
        entityId: fingerprint,
        details: { name: info.name },
      });
    })();
    return this.get(fingerprint);
  }

  requireCurrent(): IdentityInfo {
    const info = this.current();
    if (!info) {
      throw new AppError(
        'no-identity',
        'No investigator identity exists yet, so nothing can be signed into the custody record.',
        'Create one first: `lariat identity init --name "..." --role "..." --org "..." --contact "..."`, or the first-run form in the app.',
      );
    }
    return info;
  }

  /** True when this machine holds the private key of `fingerprint`. */
  canSign(fingerprint: string): boolean {
    const row = this.byFp.get(fingerprint);
    return !!row && row.key_storage !== 'public-only';
  }

  /** A signer for the current identity (or a named one whose key is here). */
  signer(fingerprint?: string): Signer {
    const info = fingerprint ? this.get(fingerprint) : this.requireCurrent();
    const key = this.privateKey(info);
    return { name: info.name, fingerprint: info.fingerprint, sign: (message) => signBytes(key, message) };
  }

  private privateKey(info: IdentityInfo): crypto.KeyObject {
    const cached = this.keys.get(info.fingerprint);
    if (cached) return cached;
    const { keysDir } = this.core.paths;
    let pem: string;
    if (info.keyStorage === 'public-only') {
      throw new AppError(
        'no-private-key',
        `${info.name}'s private key is not on this machine.`,
        'They must sign on their own machine; prepare the entry and paste their signature.',
      );
    } else if (info.keyStorage === 'safe-storage') {
      const safe = this.core.safeStorage;
      if (!safe) {
        throw new AppError(
          'key-in-keychain',
          `${info.name}'s private key is encrypted with the Lariat app's OS keychain and cannot be used from the command line.`,
          'Do this step in the Lariat app, or create a separate command-line identity with `lariat identity init`.',
        );
      }
      const file = path.join(keysDir, `${info.fingerprint}.key.enc`);
      pem = unreadableKey(info, file, () => safe.decryptString(this.readKeyFile(file, info)));
    } else {
      pem = this.readKeyFile(path.join(keysDir, `${info.fingerprint}.pem`), info).toString('utf8');
    }
    const keyFile = path.join(keysDir, `${info.fingerprint}${info.keyStorage === 'safe-storage' ? '.key.enc' : '.pem'}`);
    const key = unreadableKey(info, keyFile, () => crypto.createPrivateKey(pem));
    if (fingerprintOf(crypto.createPublicKey(key)) !== info.fingerprint) {
      throw new AppError(
        'key-mismatch',
        `The private key file of ${info.name} does not match the recorded public key.`,
        'The key file was replaced. Restore it from a backup; nothing was signed.',
      );
    }
    this.keys.set(info.fingerprint, key);
    return key;
  }

  private readKeyFile(file: string, info: IdentityInfo): Buffer {
    try {
      return fs.readFileSync(file);
    } catch (err) {
      throw new AppError(
        'key-missing',
        `The private key of ${info.name} is missing (${file}).`,
        'Restore the keys folder from a backup, or create a new identity; nothing was signed.',
        { cause: err },
      );
    }
  }
}

/**
 * Runs a step that turns a key file into a key; a file that is there but is no key (overwritten, truncated, not
 * decryptable by this keychain) is refused as such. Before, signing ended as "unexpected error: DECODER routines::unsupported".
 */
function unreadableKey<T>(info: IdentityInfo, file: string, step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(
      'key-unreadable',
      `The private key of ${info.name} (${file}) cannot be used: it is not a private key Lariat can read (damaged or replaced).`,
      `Restore the key file from a backup (its public key has fingerprint ${info.fingerprint}), or create a new identity with \`lariat identity init\`; nothing was signed.`,
      { cause: err },
    );
  }
}
