// Runs a command until this process's standard input closes, then stops it.
//
// The Rust test helper (tests/src/prism.rs) starts Prism through this script with a pipe as
// standard input. The pipe closes when the helper drops its guard, and also when the test
// process ends in any way at all (a guard in a `static` is never dropped; a test binary can be
// killed), so Prism never outlives the tests that started it.
//
// Usage: node supervise.js COMMAND [ARG...]
//
// With SUPERVISE_REMOVE_WHEN_STOPPED set to a directory (the helper's log directory), that
// directory is removed once the command has been stopped, since a guard that is never dropped
// cannot remove it itself. It is kept when the command exits on its own, so that its log can
// say why.
'use strict';

const { spawn } = require('node:child_process');
const { rmSync } = require('node:fs');

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node supervise.js COMMAND [ARG...]');
  process.exit(2);
}

const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });

let stopping = false;
function stop() {
  if (stopping) {
    return;
  }
  stopping = true;
  child.kill('SIGTERM');
  // Prism closes its server on SIGTERM; one that hangs is killed.
  setTimeout(() => child.kill('SIGKILL'), 5000).unref();
}

process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(signal, stop);
}

child.on('error', (error) => {
  console.error(`supervise.js: cannot start ${command}: ${error.message}`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  if (stopping) {
    const leftover = process.env.SUPERVISE_REMOVE_WHEN_STOPPED;
    if (leftover) {
      rmSync(leftover, { recursive: true, force: true });
    }
    process.exit(0);
  }
  console.error(`supervise.js: ${command} exited on its own (${signal ?? `code ${code}`})`);
  process.exit(code ?? 1);
});
