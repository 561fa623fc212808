import { useSyncExternalStore } from 'react';

const subscribe = (cb: () => void) => {
  window.addEventListener('online', cb);
  window.addEventListener('offline', cb);
  return () => {
    window.removeEventListener('online', cb);
    window.removeEventListener('offline', cb);
  };
};

/** A clear "offline" state: offline review keeps working, AWS actions will not. */
export function OnlineStatus() {
  const online = useSyncExternalStore(subscribe, () => navigator.onLine);
  if (online) return null;
  return (
    <span
      className="chip offline-chip"
      role="status"
      title="No network: offline review works; AWS actions will fail until the network is back."
    >
      offline
    </span>
  );
}
