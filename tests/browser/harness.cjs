// What every browser test shares: the demo server in a child process, and Debian's Chromium
// driven by playwright-core.
const { spawn } = require('node:child_process');
const path = require('node:path');
const { chromium } = require('playwright-core');

const root = path.join(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Starts web-demo/server.js on a free port; resolves to { url, stop() }. */
function startServer(extraArgs) {
  const child = spawn(process.execPath, [path.join(root, 'web-demo/server.js'), '--port', '0', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening (http:\/\/\S+)/);
      if (m) resolve({ url: m[1], stop: () => child.kill() });
    });
    child.on('exit', (code) => reject(new Error(`demo server exited with ${code}`)));
  });
}

/** Headless Chromium with a profile in `userDataDir` and nothing that calls out to the network. */
function launchChromium(userDataDir, options = {}) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    ...options,
  });
}

module.exports = { root, startServer, launchChromium };
