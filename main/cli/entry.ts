import { runCli } from './main';

// The AWS SDK warns on every run under Node 20 that future SDK releases will need Node 22.
// Lariat pins its SDK versions (and the app itself runs on Electron's Node 22), so the
// warning is noise in an investigator's terminal; maintainers track it in package.json.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Bundled to dist/cli/lariat.js; bin/lariat.js loads it.
process.exitCode = await runCli(process.argv.slice(2));
