// The AWS SDK warns on every run under Node 20 that future SDK releases will need Node 22.
// Lariat pins its SDK versions (and the app itself runs on Electron's Node 22), so the
// warning is noise in an investigator's terminal; maintainers track it in package.json.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { pipeSafeIo, runCli } from './main';

// Bundled to dist/cli/ (code split: each path loads only its own modules); bin/lariat.js loads it.
// `--help`, `--version` and usage errors load only commander and the contract (main.ts); a timeline
// query takes the quick path, which loads neither the AWS SDK nor the other features; any other command
// loads the services when its action runs.
const io = pipeSafeIo();
const argv = process.argv.slice(2);
const quick = argv[0] === 'timeline' ? await (await import('./timeline-query')).runTimelineQuery(argv, io, process.env) : null;
process.exitCode = quick ?? (await runCli(argv, { io }));
