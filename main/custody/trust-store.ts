import type { Core } from '../core/core';
import type { TrustedKey } from '../../common/contract/custody';

const KEY = 'custody.trust';

/** Trust anchors a verifier starts from, and where they came from (printed with every verdict). */
export interface TrustRoots {
  /** Fingerprint → how it came to be trusted ("trust list", "own key", "--trust"). */
  keys: Map<string, string>;
  /** Where the list came from, in words. */
  source: string;
}

/**
 * The trust list of this data folder (Settings → Trusted keys, `lariat
 * custody trust`): the investigator's own keys (added when an identity is
 * created here) and colleagues' fingerprints pinned after confirming them by
 * another channel. Verifiers start from it unless they are given `--trust`.
 *
 * It lives in the data folder, so someone who can write there can change it:
 * verification output always says where its trust came from, and a check that
 * must not depend on the data folder passes `--trust` with fingerprints
 * obtained independently (see docs/custody.md, threat model).
 */
export class TrustStore {
  constructor(private readonly core: Core) {}

  list(): TrustedKey[] {
    const raw = this.core.settings.getRaw<unknown>(KEY);
    if (!Array.isArray(raw)) return [];
    return raw.filter(
      (k): k is TrustedKey =>
        typeof k === 'object' &&
        k !== null &&
        typeof (k as TrustedKey).fingerprint === 'string' &&
        /^[0-9a-f]{64}$/.test((k as TrustedKey).fingerprint) &&
        typeof (k as TrustedKey).name === 'string',
    );
  }

  add(key: { fingerprint: string; name: string; source: TrustedKey['source'] }): TrustedKey[] {
    const list = this.list();
    if (!list.some((k) => k.fingerprint === key.fingerprint)) {
      list.push({ ...key, addedAt: this.core.clock.now().toISOString() });
      this.core.settings.setRaw(KEY, list);
      this.core.activity.record({
        caseId: null,
        action: 'custody.trust-added',
        entity: 'investigator',
        entityId: key.fingerprint,
        details: { name: key.name, source: key.source },
      });
    }
    return this.list();
  }

  remove(fingerprint: string): TrustedKey[] {
    const list = this.list();
    const kept = list.filter((k) => k.fingerprint !== fingerprint);
    if (kept.length !== list.length) {
      this.core.settings.setRaw(KEY, kept);
      this.core.activity.record({
        caseId: null,
        action: 'custody.trust-removed',
        entity: 'investigator',
        entityId: fingerprint,
        details: {},
      });
    }
    return kept;
  }

  /** The roots a verification starts from: the fingerprints given (`--trust`), else this data folder's trust list. */
  roots(given?: readonly string[]): TrustRoots {
    if (given && given.length > 0)
      return { keys: new Map(given.map((fp) => [fp, 'given with --trust'])), source: 'the fingerprints given with --trust' };
    return {
      keys: new Map(this.list().map((k) => [k.fingerprint, k.source === 'own' ? 'own key, trust list' : 'pinned in the trust list'])),
      source: "this data folder's trust list (pass --trust to verify against fingerprints obtained independently)",
    };
  }
}
