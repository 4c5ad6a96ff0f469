// build.mjs - bundles the verify page into one directory: index.html,
// style.css, sw.js and verify.js (every module it imports, from our
// source and node_modules, in one file; nothing fetched at run time).
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
await build({
    entryPoints: [join(here, 'src/main.js')],
    bundle: true,
    format: 'iife',
    minify: true,
    target: 'es2020',
    legalComments: 'eof',
    outfile: join(out, 'verify.js.tmp'),
    logLevel: 'warning',
});
renameSync(join(out, 'verify.js.tmp'), join(out, 'verify.js'));
for (const f of ['index.html', 'style.css', 'sw.js']) {
    copyFileSync(join(here, f), join(out, `${f}.tmp`));
    renameSync(join(out, `${f}.tmp`), join(out, f));
}
