import canonicalize from 'canonicalize';

/**
 * The canonical JSON (RFC 8785) of a value read from outside (a ledger line of a bundle, a row of the custody
 * table, a checkpoint file), or undefined when it has none. The canonicalizer recurses: a forged entry nested
 * 100,000 deep overflowed the stack, and a verification meant to report the forgery failed as an unexpected
 * error instead. Lariat never writes such an entry, so one that cannot be put in canonical form is an altered one.
 */
export function canonicalOf(value: unknown): string | undefined {
  try {
    return canonicalize(value);
  } catch {
    return undefined;
  }
}
