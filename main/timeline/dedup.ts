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

/**
 * Identity hashes with the ids of the events holding them, for an import whose de-duplication
 * index is built after the load (a bulk import into an empty timeline): without that index,
 * finding the events of a hash would read the whole table. Open addressing over a
 * Float64Array of hashes and a Uint32Array of ids (24 MB at a million events, 8 MB more than a
 * HashSet); a hash shared by several events takes one slot per event, so a collision keeps every
 * candidate. An id past 32 bits is held as 0: "look it up by hash".
 */
export class HashIds {
  private keys = new Float64Array(1024);
  private ids = new Uint32Array(1024);
  private used = 0;

  has(h: number): boolean {
    const mask = this.keys.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = this.keys[i]!;
      if (v === 0) return false;
      if (v === h) return true;
    }
  }

  add(h: number, id: number): void {
    if ((this.used + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    const held = id > 0 && id <= 0xffffffff ? id : 0;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = this.keys[i]!;
      if (v === h && this.ids[i] === held) return;
      if (v === 0) {
        this.keys[i] = h;
        this.ids[i] = held;
        this.used++;
        return;
      }
    }
  }

  /** The ids of every event noted with this hash (0 for one past 32 bits). */
  idsOf(h: number): number[] {
    const out: number[] = [];
    const mask = this.keys.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = this.keys[i]!;
      if (v === 0) return out;
      if (v === h) out.push(this.ids[i]!);
    }
  }

  private grow(): void {
    const keys = this.keys;
    const ids = this.ids;
    this.keys = new Float64Array(keys.length * 2);
    this.ids = new Uint32Array(keys.length * 2);
    this.used = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.add(keys[i]!, ids[i]!);
  }
}
