// Runs Electronegativity with the command-line library it was written for. The tool requires
// `commander` without declaring it (it relies on the copy its own dependency @electron/asar brings);
// in this project the top-level `commander` is Lariat's own, a newer major with another API. This
// shim points the tool's `require('commander')` at @electron/asar's copy, then starts the tool.
import Module, { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const toolDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
const asarDir = path.dirname(require.resolve('@electron/asar/package.json', { paths: [toolDir] }));
const theirs = require.resolve('commander', { paths: [asarDir] });
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === 'commander' && parent?.filename?.startsWith(toolDir + path.sep)) return theirs;
  return resolve.call(this, request, parent, ...rest);
};
require(path.join(toolDir, 'dist', 'index.js'));
