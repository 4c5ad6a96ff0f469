// pdftext.mjs - the text pdf.js (pdfjs-dist) takes from a PDF, as a
// browser's viewer and its screen reader support get it: each page's
// text items in order, a line break where pdf.js ends a line.
//
//   node tests/shell/pdftext.mjs FILE.pdf
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const pdfjs = await import(
    require.resolve("pdfjs-dist/legacy/build/pdf.mjs",
                    { paths: [new URL("../../web", import.meta.url).pathname] }));
const data = new Uint8Array(readFileSync(process.argv[2]));
const doc = await pdfjs.getDocument({ data, verbosity: 0 }).promise;
let out = "";
for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const tc = await page.getTextContent();
    for (const it of tc.items) {
        out += it.str;
        if (it.hasEOL)
            out += "\n";
    }
    out += "\n";
}
process.stdout.write(out);
