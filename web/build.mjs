// build.mjs - bundles the verify page into one directory: index.html,
// style.css, sw.js, verify.js (every module it imports, from our source
// and node_modules, in one file; nothing fetched at run time) and
// decode.js, the QR decoder the page runs as a worker.
//
//   node web/build.mjs OUTDIR
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
    console.error('usage: node web/build.mjs OUTDIR');
    process.exit(2);
}
mkdirSync(out, { recursive: true });
for (const [src, name] of [['main.js', 'verify.js'], ['decode.js', 'decode.js']]) {
    await build({
        entryPoints: [join(here, 'src', src)],
        bundle: true,
        format: 'iife',
        minify: true,
        target: 'es2020',
        legalComments: 'eof',
        outfile: join(out, `${name}.tmp`),
        logLevel: 'warning',
    });
    renameSync(join(out, `${name}.tmp`), join(out, name));
}
for (const f of ['index.html', 'style.css', 'sw.js']) {
    copyFileSync(join(here, f), join(out, `${f}.tmp`));
    renameSync(join(out, `${f}.tmp`), join(out, f));
}
