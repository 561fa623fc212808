/**
 * A 53-bit hash of a record's identity (cyrb53): fits a JavaScript number and a
 * SQLite integer exactly. Never 0, which means "no identity".
 */
export function identityHash(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0) || 1;
}

/**
 * The identity hashes a case already holds, as an open-addressing table in one
 * Float64Array (16 MB at a million events, where a Set of strings would take
 * ten times that). It only says "maybe seen": a hit is confirmed against the
 * stored event (same eventID and account, or the same record re-read), so two
 * different events that share a hash are both kept.
 */
export class HashSet {
  private slots: Float64Array;
  private used = 0;

  constructor(expected = 1024) {
    let n = 1024;
    while (n < expected * 2) n *= 2;
    this.slots = new Float64Array(n);
  }

  get size(): number {
    return this.used;
  }

  has(h: number): boolean {
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = this.slots[i]!;
      if (v === 0) return false;
      if (v === h) return true;
    }
  }

  add(h: number): void {
    if ((this.used + 1) * 2 > this.slots.length) this.grow();
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = this.slots[i]!;
      if (v === h) return;
      if (v === 0) {
        this.slots[i] = h;
        this.used++;
        return;
      }
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    this.used = 0;
    for (const v of old) if (v !== 0) this.add(v);
  }
}
