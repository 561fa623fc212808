import { useEffect, useState } from 'react';

/**
 * A value shown at once when the investigator changes it, kept until the refreshed value from the main
 * process arrives (or the change fails and `clear` is called). Clearing when the call settles instead
 * would flash the old value between the call's reply and the refetch, which is spaced out (lib/changes.ts).
 */
export function useOptimistic<T>(server: T): [value: T, set: (v: T) => void, clear: () => void] {
  const [pending, setPending] = useState<{ v: T } | null>(null);
  useEffect(() => setPending(null), [server]);
  return [pending ? pending.v : server, (v) => setPending({ v }), () => setPending(null)];
}
