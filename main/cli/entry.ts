// The AWS SDK warns on every run under Node 20 that future SDK releases will need Node 22.
// Lariat pins its SDK versions (and the app itself runs on Electron's Node 22), so the
// warning is noise in an investigator's terminal; maintainers track it in package.json.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const stdio = {
  out: (t: string) => process.stdout.write(`${t}\n`),
  err: (t: string) => process.stderr.write(`${t}\n`),
};

// Bundled to dist/cli/ (code split: each path loads only its own modules); bin/lariat.js loads it.
// A timeline query takes the quick path, which loads neither the AWS SDK nor the other features.
const argv = process.argv.slice(2);
const quick = argv[0] === 'timeline' ? await (await import('./timeline-query')).runTimelineQuery(argv, stdio, process.env) : null;
process.exitCode = quick ?? (await (await import('./main')).runCli(argv));
export {};
