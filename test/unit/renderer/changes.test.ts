import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InfiniteQueryObserver, QueryClient, QueryObserver } from '@tanstack/react-query';
import { ChangeQueue, affects, caseOfKey, changesOfMutation, type Change } from '../../../renderer/lib/changes';

const A = 'IR-2026-0001';
const B = 'IR-2026-0002';

/**
 * The renderer's query cache as the app has it (same defaults), with live observers standing in for mounted
 * views: each query counts how often its channel is called, as `window.lariat` would be.
 */
function cache() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5_000 } } });
  const calls = new Map<string, number>();
  const count = (label: string) => calls.set(label, (calls.get(label) ?? 0) + 1);
  const subs: (() => void)[] = [];
  const watch = (label: string, queryKey: unknown[]) => {
    const o = new QueryObserver(client, { queryKey, queryFn: async () => (count(label), label) });
    subs.push(o.subscribe(() => undefined));
  };
  watch('listTasks A', ['listTasks', { caseNumber: A }]);
  watch('listTasks B', ['listTasks', { caseNumber: B }]);
  watch('listCases', ['listCases', {}]);
  watch('getSettings', ['getSettings', {}]);
  watch('listFindings A', ['listFindings', { caseNumber: A }]);
  watch('unmapped A', ['someNewFeatureList', { caseNumber: A }]);
  // The timeline's own key shape, three pages loaded.
  const pages = new InfiniteQueryObserver(client, {
    queryKey: ['queryTimeline', A, { search: 'pedro' }],
    queryFn: async ({ pageParam }) => (count('timeline page'), { page: pageParam as number }),
    initialPageParam: 0,
    getNextPageParam: (last: { page: number }) => (last.page < 2 ? last.page + 1 : undefined),
  });
  subs.push(pages.subscribe(() => undefined));
  return {
    client,
    calls,
    pages,
    reset: () => calls.clear(),
    close: () => subs.forEach((s) => s()),
  };
}

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('which queries a change refreshes', () => {
  it('finds the case a query reads in its input or its key', () => {
    expect(caseOfKey(['listTasks', { caseNumber: 'ir-2026-0001' }])).toBe(A);
    expect(caseOfKey(['queryTimeline', A, { search: 'x' }])).toBe(A);
    expect(caseOfKey(['listCases', {}])).toBeNull();
  });

  it('matches by area and case; unmapped channels refresh for any change of their case', () => {
    const tasksOfA: Change = { caseNumber: A, what: 'tasks' };
    expect(affects(['listTasks', { caseNumber: A }], tasksOfA)).toBe(true);
    expect(affects(['listTasks', { caseNumber: B }], tasksOfA)).toBe(false);
    expect(affects(['listNotes', { caseNumber: A }], tasksOfA)).toBe(false);
    expect(affects(['listCases', {}], tasksOfA)).toBe(true); // open-task counts
    expect(affects(['listActivity', { caseNumber: A }], tasksOfA)).toBe(true);
    expect(affects(['listHighlightRules', {}], { caseNumber: null, what: 'all' })).toBe(false);
    expect(affects(['someNewFeatureList', { caseNumber: A }], tasksOfA)).toBe(true);
    expect(affects(['someNewFeatureList', { caseNumber: B }], tasksOfA)).toBe(false);
  });

  it('knows what a mutation changes, and falls back to the whole case for one it does not know', () => {
    expect(changesOfMutation('addTask', { caseNumber: 'ir-2026-0001', title: 'x' })).toEqual([{ caseNumber: A, what: 'tasks' }]);
    expect(changesOfMutation('updateSettings', { theme: 'dark' })).toEqual([{ caseNumber: null, what: 'settings' }]);
    expect(changesOfMutation('chooseFiles', { purpose: 'evidence' })).toEqual([]);
    expect(changesOfMutation('someNewMutation', { caseNumber: B })).toEqual([{ caseNumber: B, what: 'all' }]);
  });
});

describe('coalesced refetching', () => {
  it('a 1,000-file import (a timeline change per file) refetches the loaded timeline pages a handful of times, and nothing else', async () => {
    const c = cache();
    await vi.advanceTimersByTimeAsync(10);
    await c.pages.fetchNextPage();
    await c.pages.fetchNextPage();
    expect(c.calls.get('timeline page')).toBe(3);
    c.reset();
    const queue = new ChangeQueue(c.client);
    // One change per file, 10 ms apart: a 10-second import.
    for (let i = 0; i < 1000; i++) {
      queue.push({ caseNumber: A, what: 'timeline' });
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(2_000);
    const pageFetches = c.calls.get('timeline page') ?? 0;
    // Refetching after every change would be 3,000 page fetches; spaced flushes (>= 750 ms apart) allow at most
    // 10 s / 0.75 s + 2 = 15 flushes of 3 pages.
    expect(pageFetches).toBeGreaterThan(0);
    expect(pageFetches).toBeLessThanOrEqual(45);
    expect(pageFetches % 3).toBe(0);
    expect(c.calls.get('listFindings A') ?? 0).toBeLessThanOrEqual(15);
    for (const untouched of ['listTasks A', 'listTasks B', 'listCases', 'getSettings']) expect(c.calls.get(untouched) ?? 0).toBe(0);
    c.close();
  });

  it('a burst of changes to different parts of a case refetches each affected query once', async () => {
    const c = cache();
    await vi.advanceTimersByTimeAsync(10);
    c.reset();
    const queue = new ChangeQueue(c.client);
    queue.push({ caseNumber: A, what: 'tasks' }, { caseNumber: A, what: 'tasks' }, { caseNumber: B, what: 'notes' });
    queue.push(...changesOfMutation('addTask', { caseNumber: A, title: 'x' }));
    await vi.advanceTimersByTimeAsync(100);
    expect(Object.fromEntries(c.calls)).toEqual({ 'listTasks A': 1, listCases: 1, 'unmapped A': 1 });
    c.close();
  });

  it('a setting refreshes only what shows settings', async () => {
    const c = cache();
    await vi.advanceTimersByTimeAsync(10);
    c.reset();
    new ChangeQueue(c.client).push(...changesOfMutation('updateSettings', { theme: 'dark' }));
    await vi.advanceTimersByTimeAsync(100);
    expect(Object.fromEntries(c.calls)).toEqual({ getSettings: 1 });
    c.close();
  });
});
