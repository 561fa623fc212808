import type { Deadline } from '../../main/aws/clients';

/**
 * A deadline for AwsClients that expires only when the model says so: a
 * `stall` fault expires it while the call is pending, so Lariat's own
 * timeout path runs without any test waiting for real time to pass.
 */
export class ManualDeadline {
  private readonly pending = new Set<() => void>();

  readonly fn: Deadline = (_ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return;
      const entry = () => resolve();
      this.pending.add(entry);
      signal.addEventListener('abort', () => this.pending.delete(entry), { once: true });
    });

  /** Expires every deadline still running (the calls they guard then fail with Lariat's timeout error). */
  expireAll(): void {
    const all = [...this.pending];
    this.pending.clear();
    for (const fire of all) fire();
  }
}
