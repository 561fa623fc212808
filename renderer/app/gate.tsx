import type { ReactNode } from 'react';

/**
 * First-run gate: shows the investigator identity setup until one exists.
 * (Wired to the identity feature once it lands.)
 */
export function Gate({ children }: { children: ReactNode }) {
  return <>{children}</>;
}
