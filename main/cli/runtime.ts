/**
 * What a CLI command needs once it runs: the composition root and the one door to the operations. `main.ts` imports this module dynamically from
 * its `preAction` hook, so `lariat --help` and `lariat --version` never load the database driver, the
 * features or the AWS SDK.
 */
export { createServices } from '../services';
export { cliDoor } from './door';
