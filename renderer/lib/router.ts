import { useSyncExternalStore } from 'react';

/** Parsed `#/path?query` location. Hash routing: the app is served from one static page. */
export interface Route {
  parts: string[];
  query: URLSearchParams;
}

function parse(): Route {
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = hash.split('?', 2);
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(search) };
}

let current = parse();
const listeners = new Set<() => void>();
window.addEventListener('hashchange', () => {
  current = parse();
  for (const l of listeners) l();
});

export function useRoute(): Route {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}

/** Navigates to a path such as `/case/IR-2026-0001/timeline` with optional query parameters. */
export function navigate(path: string, query?: Record<string, string | undefined>): void {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  window.location.hash = `#${path}${s ? `?${s}` : ''}`;
}

export function caseTabPath(caseNumber: string, tab: string): string {
  return `/case/${encodeURIComponent(caseNumber)}/${tab}`;
}
