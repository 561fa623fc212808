import { AppError } from '../../core/errors';
import type { Core } from '../../core/core';
import type { AwsClients } from '../../aws/clients';
import type { ActionKind, ActionRecord, ActionTarget, PlanActionInput } from '../../../common/contract/response';
import type { ActionStore, StoredStep } from '../action-store';
import type { ActionLeases } from '../lease';
import type { Plan } from '../plans/types';

/** What a kind's planning may use: read-only AWS clients, the action store, the case. */
export interface PlanEnv {
  core: Core;
  clients: AwsClients;
  store: ActionStore;
  leases: ActionLeases;
  /** Actions this process is running now. */
  running: ReadonlySet<number>;
  /** The account Lariat is connected to (when the resource does not say). */
  account(): string | null;
}

/**
 * The outcome of a kind's read-only discovery: the target and the plan
 * builder. `build` runs inside the transaction that stores the action, once
 * its number is known (tags and names carry it); it must not call AWS.
 */
export interface Prepared {
  target: ActionTarget;
  account: string | null;
  /** Options as stored with the action (shown with the plan). */
  options: unknown;
  build(actionId: number): Plan;
  /** After the plan is stored (e.g. add the resource to the case's assets). Must not throw. */
  afterPlan?(): void;
}

/** An action as stored, with every step (what release builders and hooks read). */
export type StoredAction = ActionRecord & { steps: StoredStep[] };

/** What run-time hooks may use. */
export interface KindEnv {
  core: Core;
  store: ActionStore;
}

/**
 * One kind of response action. A kind module calls `defineActionKind` at
 * import time and is imported once from kinds/index.ts; nothing else in the
 * framework names a kind.
 */
export interface ActionKindDef<K extends ActionKind = ActionKind> {
  kind: K;
  /** Job label: `${label} ${target.id} (${case})`. */
  label: string;
  /** Read-only discovery, then the plan builder. Throws AppError when the action cannot be planned. */
  prepare(input: Extract<PlanActionInput, { kind: K }>, env: PlanEnv): Promise<Prepared>;
  /** How an action of this kind is undone (`lariat respond release --action N`), if it can be. */
  release?(action: StoredAction, env: PlanEnv): Promise<Prepared & { kind: ActionKind }>;
  /** Refuses to run or resume (e.g. a release of something already released). Runs after the generic checks. */
  checkRunnable?(action: StoredAction, env: KindEnv): void;
  /** After the action succeeded (e.g. mark the asset). Must not throw. */
  afterSuccess?(action: StoredAction, env: KindEnv): void;
}

const kinds = new Map<string, ActionKindDef>();

/** Registers a kind (once, from its module). */
export function defineActionKind<K extends ActionKind>(def: ActionKindDef<K>): void {
  if (kinds.has(def.kind)) throw new Error(`Action kind ${def.kind} is defined twice.`);
  kinds.set(def.kind, def as unknown as ActionKindDef);
}

export function kindDef(kind: string): ActionKindDef {
  const def = kinds.get(kind);
  if (!def)
    throw new AppError(
      'action-kind-unknown',
      `The action kind "${kind}" is not part of this build of Lariat.`,
      'Plan it with a Lariat that knows it, or plan another kind.',
    );
  return def;
}

/** The kinds this build knows (for tests and listings). */
export function definedKinds(): string[] {
  return [...kinds.keys()];
}
