/**
 * What a CLI command needs once it runs: the composition root, the one door to the operations, and the
 * operation modules some commands call with their feature. `main.ts` imports this module dynamically from
 * its `preAction` hook, so `lariat --help` and `lariat --version` never load the database driver, the
 * features or the AWS SDK.
 */
export { createServices } from '../services';
export { cliDoor } from './door';
export * as detectionOps from '../detection/operations';
export * as plansOps from '../plans/operations';
export * as incidentsOps from '../incidents/operations';
export * as runbooksOps from '../runbooks/operations';
export * as analysisOps from '../analysis/operations';
