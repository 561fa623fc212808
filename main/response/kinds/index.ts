/**
 * Every kind family, registered on import (one line each). A family module
 * calls `defineActionKind` for each of its kinds; its step executors, guards
 * and evidence collectors register themselves from their own modules.
 */
import './ec2';
import './credentials';
import './role-sessions';
import './s3-lambda';

export { kindDef, definedKinds, defineActionKind } from './registry';
export type { ActionKindDef, KindEnv, PlanEnv, Prepared, StoredAction } from './registry';
