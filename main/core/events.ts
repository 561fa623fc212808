import type { EventName, PayloadOf } from '../../common/contract';

type Listener = (name: EventName, payload: unknown) => void;

/**
 * Events main pushes to whoever is listening: the Electron windows, or the
 * test transport's socket. Services emit; transports subscribe.
 */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  emit<E extends EventName>(name: E, payload: PayloadOf<E>): void {
    for (const l of this.listeners) {
      try {
        l(name, payload);
      } catch {
        // A broken subscriber must never stop a service.
      }
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
