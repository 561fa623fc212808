import crypto from 'node:crypto';
import { AppError } from '../core/errors';

/**
 * Ed25519 helpers. An investigator is identified by the SHA-256 (hex) of the
 * DER SubjectPublicKeyInfo of their public key, which is what
 * `openssl pkey -pubin -in key.pem -outform DER | sha256sum` prints.
 */
export function fingerprintOf(publicKey: crypto.KeyObject | string): string {
  const key = typeof publicKey === 'string' ? crypto.createPublicKey(publicKey) : publicKey;
  return crypto
    .createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** Parses a PEM public key, refusing anything that is not Ed25519. */
export function parseEd25519PublicKey(pem: string): crypto.KeyObject {
  let key: crypto.KeyObject;
  try {
    key = crypto.createPublicKey(pem);
  } catch (err) {
    throw new AppError(
      'invalid-key',
      'The public key is not a readable PEM public key.',
      'Paste the whole block from -----BEGIN PUBLIC KEY----- to -----END PUBLIC KEY-----.',
      { cause: err },
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new AppError(
      'invalid-key',
      `The public key is ${key.asymmetricKeyType ?? 'of an unknown type'}, not Ed25519.`,
      'Lariat custody signatures use Ed25519 keys; ask for the Ed25519 public key.',
    );
  }
  return key;
}

/** A fresh Ed25519 key pair as PEM (PKCS#8 private, SPKI public). */
export function generateKeyPair(): { privatePem: string; publicPem: string; fingerprint: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: fingerprintOf(publicKey),
  };
}

/** Ed25519 signature (64 bytes) over `message`: PureEdDSA, exactly what `openssl pkeyutl -sign -rawin` makes. */
export function signBytes(privateKey: crypto.KeyObject, message: Uint8Array): Buffer {
  return crypto.sign(null, message, privateKey);
}

export function verifyBytes(publicKey: crypto.KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return crypto.verify(null, message, publicKey, signature);
  } catch {
    return false;
  }
}
