import { runCli } from './main';

// Bundled to dist/cli/lariat.js; bin/lariat.js loads it.
process.exitCode = await runCli(process.argv.slice(2));
