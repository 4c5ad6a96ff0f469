// browser.mjs - drives the verify page that pledge web wrote in Debian's
// Chromium, headless, with playwright-core, and prints one line per
// check: "pass NAME" or "fail NAME: why" (tests/shell/lib.sh's form).
//
//   node browser.mjs SITE CASES.json
//
// CASES.json: {"photos": [{name, file, status, code, text}],
//              "fragments": [{name, seal, status, code, text}],
//              "camera": {y4m, status, text},
//              "keyboard": {file, status}}
// status is the verdict word the page must show, code its data-code,
// text words the headline must contain.
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const { chromium } = await import(new URL('../../web/node_modules/playwright-core/index.mjs', import.meta.url));

const [site, casesFile] = process.argv.slice(2).map((p) => resolve(p));
const cases = JSON.parse(readFileSync(casesFile, 'utf8'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
let lap = Date.now();
// One check's line, and after it how long it took ("#" lines are notes).
const out = (ok, name, why) => {
    console.log(ok ? `pass ${name}` : `fail ${name}: ${why}`);
    console.log(`# ${name}: ${Date.now() - lap} ms`);
    lap = Date.now();
};

// A static server for the site on localhost: a secure context, so the
// camera and the service worker are allowed, as on an https host.
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
const server = createServer((req, res) => {
    const path = join(site, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    if (!file.startsWith(site) || !existsSync(file)) {
        res.writeHead(404).end();
        return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
    res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

const launch = (args = []) => chromium.launch({ executablePath: CHROMIUM, headless: true, args });

// The verdict the page shows once a check ran: word, code, headline, and
// the live region's text.
async function verdict(page) {
    const shown = await page.waitForSelector('#result:not([hidden])', { timeout: 30000 })
        .then(() => true, () => false);
    if (!shown)
        return null;
    return page.evaluate(() => ({
        status: document.getElementById('result').dataset.status,
        code: document.getElementById('result').dataset.code,
        word: document.getElementById('verdict-word').textContent,
        headline: document.getElementById('verdict').textContent,
        live: document.querySelector('[aria-live]#result').textContent,
        facts: document.getElementById('facts').textContent,
        focused: document.activeElement && document.activeElement.id,
        external: performance.getEntriesByType('resource')
            .map((e) => e.name).filter((n) => !n.startsWith(location.origin)),
    }));
}

function judge(name, got, want) {
    if (got === null) {
        out(false, name, 'no verdict shown within 30 s');
        return;
    }
    const why = [];
    if (got.status !== want.status)
        why.push(`status ${got.status}, wanted ${want.status}`);
    if (want.code && got.code !== want.code)
        why.push(`code ${got.code}, wanted ${want.code}`);
    if (want.text && !got.headline.includes(want.text))
        why.push(`headline "${got.headline}" lacks "${want.text}"`);
    for (const f of want.facts || [])
        if (!got.facts.includes(f))
            why.push(`facts lack "${f}"`);
    if (!got.word || !got.live.includes(got.headline))
        why.push('the verdict is not in words in the live region');
    if (got.focused !== 'verdict')
        why.push(`focus on ${got.focused}, not the verdict`);
    if (got.external.length)
        why.push(`fetched ${got.external.join(' ')}`);
    out(why.length === 0, name, why.join('; '));
}

const t0 = Date.now();
let browser = await launch();
try {
    for (const c of cases.photos || []) {
        const page = await browser.newPage();
        await page.goto(base);
        await page.setInputFiles('#photo', c.file);
        if (c.status === 'none') {
            // No code in the picture: said so, and no verdict shown.
            const said = await page.waitForFunction(() =>
                /No seal found/.test(document.getElementById('status').textContent),
            null, { timeout: 20000 }).then(() => true, () => false);
            const shown = await page.evaluate(() => !document.getElementById('result').hidden);
            out(said && !shown, `photo: ${c.name}`, said ? 'a verdict was shown' : 'no "No seal found"');
        } else {
            judge(`photo: ${c.name}`, await verdict(page), c);
            // The decoding ran in the worker, off the page's thread.
            const workers = page.workers().map((w) => w.url());
            out(workers.some((u) => u.endsWith('/decode.js')),
                `photo: ${c.name}: decoded in a worker`,
                `workers: ${workers.join(' ') || 'none'}`);
        }
        await page.close();
    }
    const good = (cases.photos || []).find((c) => c.status !== 'none');
    if (good) {
        // A browser that cannot run the worker (here: decode.js missing)
        // still gets the verdict, decoded on the page's own thread.
        const page = await browser.newPage();
        await page.route('**/decode.js', (r) => r.fulfill({ status: 404, body: '' }));
        await page.goto(base);
        await page.setInputFiles('#photo', good.file);
        judge(`photo without the worker: ${good.name}`, await verdict(page), good);
        await page.close();
    }
    for (const c of cases.fragments || []) {
        const page = await browser.newPage();
        // Percent-encoded, as a QR code's URL or a link would carry it;
        // from the file itself, as a reviewer's saved copy opens.
        const url = c.file ? pathToFileURL(join(site, 'index.html')).href : base;
        await page.goto(`${url}#${encodeURIComponent(c.seal)}`);
        judge(`address: ${c.name}`, await verdict(page), c);
        await page.close();
    }
    if (cases.keyboard) {
        const c = cases.keyboard;
        const page = await browser.newPage();
        await page.goto(base);
        let reached = false;
        for (let i = 0; i < 10 && !reached; i++) {
            await page.keyboard.press('Tab');
            reached = await page.evaluate(() => document.activeElement.id === 'photo');
        }
        out(reached, 'keyboard: Tab reaches the photo control', 'not within 10 presses');
        const label = await page.evaluate(() => document.getElementById('photo').labels[0]?.textContent || '');
        out(/photo/i.test(label), 'the photo control has a label', `label "${label}"`);
        if (reached) {
            // Space opens the chooser, as Enter does; a loaded machine may
            // drop a key press, so each is tried more than once.
            let chooser = null;
            for (const key of ['Space', 'Enter', 'Space', 'Enter']) {
                [chooser] = await Promise.all([
                    page.waitForEvent('filechooser', { timeout: 10000 }).catch(() => null),
                    page.keyboard.press(key)]);
                if (chooser)
                    break;
            }
            if (chooser) {
                await chooser.setFiles(c.file);
                judge('keyboard: a photo chosen without the mouse', await verdict(page), c);
            } else {
                out(false, 'keyboard: a photo chosen without the mouse', 'no file chooser opened');
            }
        }
        await page.close();
    }
} finally {
    await browser.close();
}
if (cases.camera) {
    const c = cases.camera;
    browser = await launch(['--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${c.y4m}`]);
    try {
        const ctx = await browser.newContext();
        await ctx.grantPermissions(['camera'], { origin: base.slice(0, -1) });
        const page = await ctx.newPage();
        await page.goto(base);
        await page.click('#camera-start');
        judge('camera: a printed page in front of the camera', await verdict(page), c);
        const stopped = await page.evaluate(() => document.getElementById('video').hidden);
        out(stopped, 'camera: stops once the seal is read', 'the video is still shown');
    } finally {
        await browser.close();
    }
}
server.close();
console.log(`time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
