import { AppError } from '../core/errors';

/** How the refusal names the action it would release: EC2 says "isolation 7 of i-…", every other kind "action 7 on …". */
export interface ReleaseWording {
  noun: string;
  on: string;
  /** The verb to do again before another release ("isolate", "contain"). */
  redo: string;
}

export const ACTION_WORDING: ReleaseWording = { noun: 'action', on: 'on', redo: 'contain' };
export const ISOLATION_WORDING: ReleaseWording = { noun: 'isolation', on: 'of', redo: 'isolate' };

/**
 * Refuses a second release of an action: one succeeded (nothing left to
 * undo) or one still open (resume it). One rule for every kind, checked when
 * a release is planned and again when it is about to run.
 */
export function requireNoRelease(
  actionId: number,
  targetId: string,
  releases: { id: number; state: string; finishedAt: string | null }[],
  wording: ReleaseWording = ACTION_WORDING,
): void {
  const { noun, on, redo } = wording;
  const done = releases.find((x) => x.state === 'succeeded');
  if (done)
    throw new AppError(
      'already-released',
      `${noun[0]!.toUpperCase()}${noun.slice(1)} ${actionId} ${on} ${targetId} was already released by action ${done.id}${done.finishedAt ? ` at ${done.finishedAt}` : ''}.`,
      `There is nothing left to undo. To release again, ${redo} again first; that new ${noun} can then be released.`,
    );
  const open = releases.find((x) => x.state === 'planned' || x.state === 'running' || x.state === 'failed');
  if (open)
    throw new AppError(
      'release-pending',
      `Release ${open.id} of ${noun} ${actionId} is ${open.state}.`,
      open.state === 'planned'
        ? `Run it (lariat respond resume ${open.id}) or discard it before planning another.`
        : `Resume it (lariat respond resume ${open.id}) instead of planning another; its steps check what is already restored.`,
    );
}
