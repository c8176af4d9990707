// End to end in a real browser: Jupyter Notebook (classic, Debian jupyter-notebook) served on
// localhost with the build tree's xautograph kernel, headless Chromium (Debian chromium) driven
// by playwright-core. Runs a %%autograph cell by typing Shift+Enter and checks that the
// side-by-side pane renders with both columns visible; saves a screenshot.
//
// Environment (set by CTest): JUPYTER_PATH (the build tree's kernelspec), XAG_SCREENSHOT (where
// the PNG goes). Exit status 0 = pass, 1 = fail.
'use strict';

const { chromium } = require('playwright-core');
const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const PYTHON = '/usr/bin/python3';
const CHROMIUM = '/usr/bin/chromium';
const TIMEOUT_MS = 120000;
let lastServerLog = null;

const CELL = [
  '%%autograph',
  'def huber(x, d):',
  '    if abs(x) <= d:',
  '        return 0.5 * x * x',
  '    else:',
  '        return d * (abs(x) - 0.5 * d)',
].join('\n');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function writeNotebook(dir) {
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'xautograph', display_name: 'Python 3 (AutoGraph)', language: 'python' },
      language_info: { name: 'python' },
    },
    cells: [{ cell_type: 'code', id: 'e2e-cell', metadata: {}, execution_count: null,
              outputs: [], source: CELL }],
  };
  fs.writeFileSync(path.join(dir, 'e2e.ipynb'), JSON.stringify(nb, null, 1));
}

async function waitForServer(url, deadline) {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch (_) { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`notebook server did not answer at ${url}`);
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xag-e2e-'));
  const notebookDir = path.join(work, 'notebooks');
  fs.mkdirSync(notebookDir);
  writeNotebook(notebookDir);
  const port = await freePort();
  const token = crypto.randomBytes(16).toString('hex');
  const screenshot = process.env.XAG_SCREENSHOT || path.join(work, 'autograph_side_by_side.png');
  const env = {
    ...process.env,
    JUPYTER_CONFIG_DIR: path.join(work, 'config'),
    JUPYTER_DATA_DIR: path.join(work, 'data'),
    JUPYTER_RUNTIME_DIR: path.join(work, 'runtime'),
    IPYTHONDIR: path.join(work, 'ipython'),
  };
  const server = spawn(PYTHON, ['-m', 'notebook', '--no-browser', '--allow-root',
    `--port=${port}`, '--ip=127.0.0.1', `--NotebookApp.token=${token}`,
    `--notebook-dir=${notebookDir}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let serverLog = '';
  lastServerLog = () => serverLog.slice(-4000);
  server.stdout.on('data', (d) => { serverLog += d; });
  server.stderr.on('data', (d) => { serverLog += d; });

  let context;
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForServer(`${base}/api?token=${token}`, Date.now() + 60000);
    context = await chromium.launchPersistentContext(path.join(work, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 900 },
    });
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.goto(`${base}/notebooks/e2e.ipynb?token=${token}`);
    // The kernel is up when it answered kernel_info and the notebook's indicator shows idle.
    await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel
      && Jupyter.notebook.kernel.info_reply && Jupyter.notebook.kernel.info_reply.status === 'ok');
    await page.waitForSelector('#kernel_indicator_icon.kernel_idle_icon');
    const kernelName = await page.evaluate(() => Jupyter.notebook.kernel.name);
    if (kernelName !== 'xautograph') throw new Error(`notebook runs kernel ${kernelName}`);

    await page.click('.cell .CodeMirror');
    await page.keyboard.press('Shift+Enter');

    const pane = page.locator('.output_area .ag-sbs[data-function="huber"]');
    await pane.waitFor({ state: 'visible' });
    const original = pane.locator('td.ag-sbs-orig', { hasText: 'return 0.5 * x * x' });
    const converted = pane.locator('td.ag-sbs-conv', { hasText: 'ag__.if_stmt' });
    await original.first().waitFor({ state: 'visible' });
    await converted.first().waitFor({ state: 'visible' });
    const left = await original.first().boundingBox();
    const right = await converted.first().boundingBox();
    if (!(left && right && left.width > 50 && right.width > 50 && right.x > left.x + left.width - 1)) {
      throw new Error(`columns not side by side: ${JSON.stringify({ left, right })}`);
    }
    const title = (await pane.locator('.ag-sbs-title').innerText()).trim();
    if (!title.startsWith('huber')) throw new Error(`title is ${JSON.stringify(title)}`);
    // Syntax highlighting: Pygments' keyword class on `return`/`def`.
    const keywords = await pane.locator('td.ag-sbs-orig span.k').count();
    if (keywords < 2) throw new Error('original column is not highlighted');

    fs.mkdirSync(path.dirname(screenshot), { recursive: true });
    await pane.screenshot({ path: screenshot });
    console.log(`side-by-side pane rendered; screenshot: ${screenshot}`);
  } finally {
    if (context) await context.close();
    server.kill('SIGTERM');
    await new Promise((r) => { server.on('exit', r); setTimeout(r, 10000); });
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`FAIL: ${err.stack || err}`);
  process.exitCode = 1;
});

process.on('exit', (code) => {
  if (code && lastServerLog) console.error(`--- notebook server log ---\n${lastServerLog()}`);
});
