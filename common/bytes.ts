const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'] as const;

/**
 * A byte count in the largest binary unit (KiB to TiB) that keeps the value at 1 or more; under 1 KiB the
 * count itself, in B. Shared by the CLI and the report so a size scales the same way in both; each chooses
 * its own precision (the report also prints the exact count an examiner compares).
 */
export function scaleBytes(n: number): { value: number; unit: 'B' | (typeof UNITS)[number] } {
  if (n < 1024) return { value: n, unit: 'B' };
  let value = n / 1024;
  let i = 0;
  while (value >= 1024 && i < UNITS.length - 1) {
    value /= 1024;
    i++;
  }
  return { value, unit: UNITS[i]! };
}
