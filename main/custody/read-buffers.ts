/** The size every file read of the vault uses (the hasher's slots, the read-back). */
export const READ_BUFFER_BYTES = 1 << 20;
/** Kept per thread: two copies at a time, each with two hasher slots and one read-back buffer. */
const KEPT = 8;
const spare: Buffer[] = [];

/**
 * A read buffer of `size` bytes, reused from an earlier file when one is free. Each file used to take fresh
 * ones: new memory, every page of which the kernel faults in and zeroes on its first write (about 3 MiB of
 * page faults per file copied into the vault: ~100,000 faults for 200,000 CloudTrail records). Its content is
 * whatever was read last: callers read into it and use only what they read, as with `Buffer.allocUnsafe`.
 */
export function takeReadBuffer(size = READ_BUFFER_BYTES): Buffer {
  if (size === READ_BUFFER_BYTES) {
    const b = spare.pop();
    if (b) return b;
  }
  return Buffer.allocUnsafe(size);
}

/** Gives a buffer back once nothing reads or writes it any more (never while a write of it is pending). */
export function returnReadBuffer(b: Buffer): void {
  if (
    b.length === READ_BUFFER_BYTES &&
    b.byteOffset === 0 &&
    b.buffer.byteLength === READ_BUFFER_BYTES &&
    spare.length < KEPT &&
    !spare.includes(b)
  )
    spare.push(b);
}
