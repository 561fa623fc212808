/** Time is injected so tests, ledgers and case numbers are deterministic. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance. */
export function fixedClock(start: string | Date, stepMs = 0): Clock & { set(d: string | Date): void } {
  let t = new Date(start).getTime();
  return {
    now() {
      const d = new Date(t);
      t += stepMs;
      return d;
    },
    set(d) {
      t = new Date(d).getTime();
    },
  };
}

/** UTC ISO-8601 with milliseconds: the only timestamp format Lariat stores. */
export function isoNow(clock: Clock): string {
  return clock.now().toISOString();
}
