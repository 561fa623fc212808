// The AWS SDK warns on every run under Node 20 that future SDK releases will need Node 22.
// Lariat pins its SDK versions (and the app itself runs on Electron's Node 22), so the
// warning is noise in an investigator's terminal; maintainers track it in package.json.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { pipeSafeIo } from './pipe-safe-io';

// Bundled to dist/cli/ (code split: each path loads only its own modules); bin/lariat.js loads it.
// A timeline query takes the quick path, which loads only the timeline's contract and services: not the
// other commands' definitions and schemas (main.ts), nor the AWS SDK. Anything else loads main.ts, whose
// `--help`, `--version` and usage errors need only commander and the contract; a command's services load
// when its action runs.
const io = pipeSafeIo();
const argv = process.argv.slice(2);
const quick = argv[0] === 'timeline' ? await (await import('./timeline-query')).runTimelineQuery(argv, io, process.env) : null;
process.exitCode = quick ?? (await (await import('./main')).runCli(argv, { io }));
