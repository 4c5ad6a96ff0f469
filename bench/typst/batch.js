#!/usr/bin/env node
// batch.js - Typst's side of the batch bench: one layout, N attendees,
// N PDFs, all compiled in this one process by one Typst compiler.
//
//   node bench/typst/batch.js emit LAYOUT_FILE
//   node bench/typst/batch.js run LAYOUT_FILE ROSTER.tsv OUTDIR DATE
//
// emit prints the Typst source made from the layout: the layout's body
// turned from CommonMark into Typst markup, with the page, type, title
// block, signature block and running header and footer that pledge sets.
// The attendee's fields are not in it: they come in through sys.inputs,
// so the source is the same for every attendee, as pledge's body is.
//
// run reads ROSTER.tsv (name<TAB>credentials<TAB>id, as `sh
// bench/roster.sh N tsv` writes it), then compiles the source once per
// attendee and writes OUTDIR/NNNN.pdf.  It prints one `name value` line
// per figure (bench/run.sh reads them):
//   version      the typst-ts-node-compiler package's version
//   startup_ms   loading the package and creating the compiler (fonts)
//   docs         PDFs written
//   compile_ms   wall time from the first compile to the last PDF written
//   first_ms     of that, the first PDF (nothing memoized yet)
//   cpu_ms       CPU time of this process over the same span, every thread
//   bytes        mean PDF size
//   rss_kb       this process's peak resident set size at the end
// Exit status: 0 ok, 1 a compile failed, 2 usage.
'use strict';

const fs = require('fs');
const path = require('path');

const usage = 'usage: node batch.js emit LAYOUT_FILE\n' +
    '       node batch.js run LAYOUT_FILE ROSTER.tsv OUTDIR DATE\n';

// The typesetter's proportions (src/typeset/typeset.c), as bench_render's
// LaTeX twin repeats them.
const TITLE_SCALE = 1.9;
const SUBTITLE_SCALE = 1.15;
const SMALL_SCALE = 0.82;
const LIST_INDENT = 1.5;
const MARKER_GAP = 0.45;
const LABEL_COLUMN = 9.5;
const PANEL_LINES = 4.2;
const HEADING_SCALE = [1.3, 1.08, 1.0];

function fail(msg, code) {
    process.stderr.write('typst batch: ' + msg + '\n');
    process.exit(code);
}

// Front matter and body of a layout file, as src/layout reads them.
function readLayout(file) {
    const yaml = require('yaml');
    const text = fs.readFileSync(file, 'utf8');
    const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
    if (m === null)
        fail(`read ${file}: no front matter between --- lines`, 1);
    const meta = yaml.parse(m[1]);
    const page = meta.page || {};
    const margins = page.margins || {};
    const font = meta.font || {};
    const size = font.size || 10.5;
    return {
        id: meta.id,
        association: meta.association.name,
        short: meta.association.short,
        title: meta.title,
        revision: String(meta.revision),
        commitment: meta.commitment.text,
        a4: page.size === 'a4',
        margin: {
            top: margins.top ?? 72, bottom: margins.bottom ?? 72,
            inner: margins.inner ?? 72, outer: margins.outer ?? 72,
        },
        size,
        leading: font.leading || 1.3 * size,
        justify: (meta.align || 'justify') === 'justify',
        body: m[2],
    };
}

// A length in pt, rounded as a person would write it.
function pt(x) {
    return `${+x.toFixed(3)}pt`;
}

// A margin as a Typst length: numbers are pt; "20mm", "0.75in" and
// "54pt" are Typst lengths already.
function len(v) {
    if (typeof v === 'number')
        return pt(v);
    if (/^[0-9.]+(pt|mm|cm|in)$/.test(v))
        return v;
    fail(`margin '${v}' is not a length`, 1);
}

// Text as Typst markup: every ASCII punctuation character escaped, so
// that none starts a heading, a list, a label, a comment or a smart
// quote; the typographic quotes and dashes came from CommonMark's smart
// punctuation already, as in pledge.
function esc(s) {
    return s.replace(/[!-/:-@[-`{-~]/g, (c) => '\\' + c);
}

// The inline children of a CommonMark node as Typst markup.
function inlines(node) {
    let out = '';
    for (let n = node.firstChild; n !== null; n = n.next) {
        switch (n.type) {
        case 'text':
            out += esc(n.literal);
            break;
        case 'softbreak':
            out += ' ';
            break;
        case 'linebreak':
            out += '#linebreak()';
            break;
        case 'strong':
            out += '#strong[' + inlines(n) + ']';
            break;
        case 'emph':
            out += '#emph[' + inlines(n) + ']';
            break;
        default:
            fail(`body: ${n.type} is not supported in a layout`, 1);
        }
    }
    return out;
}

// A block and its children.  Lists become #list(...) and #enum(...)
// calls, one content block per item, so nesting needs no indentation.
function blocks(node, depth) {
    const out = [];
    for (let n = node.firstChild; n !== null; n = n.next) {
        switch (n.type) {
        case 'heading': {
            const lv = Math.min(Math.max(n.level, 1), 3);
            out.push(`#heading(level: ${lv})[${inlines(n)}]`);
            break;
        }
        case 'paragraph':
            out.push(inlines(n));
            break;
        case 'list': {
            const items = [];
            for (let it = n.firstChild; it !== null; it = it.next)
                items.push('[' + blocks(it, depth + 1) + ']');
            const fn = n.listType === 'ordered'
                ? `enum.with(start: ${n.listStart ?? 1}, tight: true)`
                : 'list.with(tight: true)';
            out.push(`#${fn}(\n${items.join(',\n')})`);
            break;
        }
        default:
            fail(`body: ${n.type} is not supported in a layout`, 1);
        }
    }
    return out.join('\n\n');
}

// The whole Typst source for a layout; attendee fields from sys.inputs.
function emit(lay) {
    const commonmark = require('commonmark');
    const doc = new commonmark.Parser({ smart: true }).parse(lay.body);
    const S = lay.size, L = lay.leading;
    const small = S * SMALL_SCALE;
    const gap = L - S;          // with lines S tall, leading is the rest
    const w = lay.a4 ? '595.276pt' : '612pt';
    const h = lay.a4 ? '841.89pt' : '792pt';
    const left = `${esc(lay.short)} · ${esc(lay.title)}`;
    return `// The pledge that pledge sets from ${lay.id}, as Typst for timing
// typst-ts-node-compiler.  Written by bench/typst/batch.js.
#let inp = sys.inputs
#set document(title: inp.name + " — pledge", author: inp.name)
#set page(width: ${w}, height: ${h},
  margin: (left: ${len(lay.margin.inner)}, right: ${len(lay.margin.outer)},
           top: ${len(lay.margin.top)}, bottom: ${len(lay.margin.bottom)}),
  header: context if here().page() > 1 {
    set text(size: ${pt(small)})
    grid(columns: (1fr, auto), [${left}], emph(inp.name))
    v(-0.4em)
    line(length: 100%, stroke: 0.4pt)
  },
  footer: context {
    set text(size: ${pt(small)})
    grid(columns: (1fr, auto, 1fr),
      align(left)[${left}],
      [Page #counter(page).display() of #counter(page).final().first()],
      align(right)[${esc(lay.revision)}])
  })
// Lines exactly S tall, so that the leading is baseline to baseline.
#set text(font: "Noto Serif", size: ${pt(S)}, lang: "en", region: "US",
          hyphenate: ${lay.justify}, top-edge: 0.8em, bottom-edge: -0.2em)
#set par(justify: ${lay.justify}, leading: ${pt(gap)},
         spacing: ${pt(gap + 0.55 * L)})
#set list(marker: ([•], [–], [•]), indent: 0pt,
          body-indent: ${pt(LIST_INDENT * S - 0.5 * S)},
          spacing: ${pt(gap + 0.3 * L)})
#set enum(numbering: "1.", indent: 0pt, body-indent: ${pt(MARKER_GAP * S)},
          spacing: ${pt(gap + 0.3 * L)})
#show heading: it => block(sticky: true,
  above: if it.level == 1 { ${pt(gap + 1.4 * L)} } else { ${pt(gap + L)} },
  below: ${pt(gap + 0.25 * L)},
  text(size: ${pt(S)} * (${HEADING_SCALE[0]}, ${HEADING_SCALE[1]},
                        ${HEADING_SCALE[2]}).at(it.level - 1),
       weight: "bold", style: if it.level == 3 { "italic" } else { "normal" },
       hyphenate: false, it.body))
#let field(label, value) = grid(columns: (${pt(LABEL_COLUMN * S)}, 1fr),
  text(size: ${pt(small)}, label),
  par(justify: false, text(hyphenate: false, value)))

#align(center)[
  #set par(justify: false)
  ${esc(lay.association)}
  #v(${pt(0.3 * L)})
  #text(size: ${pt(S * TITLE_SCALE)}, weight: "bold")[${esc(lay.title)}]
  #v(${pt(0.35 * L)})
  #text(size: ${pt(S * SUBTITLE_SCALE)}, style: "italic")[
    Personal pledge of #inp.name]
  #v(${pt(0.5 * L)})
  #line(length: 30%, stroke: 0.5pt)
]
#v(${pt(0.4 * L)})

${blocks(doc, 0)}

#block(breakable: false, above: ${pt(gap + 1.6 * L)})[
  #emph[${esc(lay.commitment)}]
  #v(${pt(1.2 * L)})
  #field[Name][#inp.name]
  #if inp.credentials != "" { field[Credentials][#inp.credentials] }
  #if inp.id != "" { field[Member ID][#inp.id] }
  #field[Date][#inp.date]
  #v(${pt(2.0 * L)})
  #grid(columns: (${pt(LABEL_COLUMN * S)}, 1fr),
    text(size: ${pt(small)})[Signature], line(length: 100%, stroke: 0.6pt))
  #v(${pt(0.9 * L)})
  #rect(width: 100%, height: ${pt(PANEL_LINES * L)}, fill: luma(245),
        stroke: 0.5pt, inset: ${pt(0.6 * S)}, text(size: ${pt(small)})[
    *Digital signature* \\
    Digitally signed by Bench Signer · key~ID~0123456789ABCDEF ·
    #inp.date. To check that not one byte has changed since, run
    “pledge verify” on this file with the signer’s public key, or
    minisign alone as the pledge signature format describes.])
]
`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June',
                'July', 'August', 'September', 'October', 'November',
                'December'];

// "2026-11-21" as pledge prints it: "November 21, 2026".
function longDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (m === null || +m[2] < 1 || +m[2] > 12)
        return iso;
    return `${MONTHS[+m[2] - 1]} ${+m[3]}, ${m[1]}`;
}

function ms(from) {
    return Number(process.hrtime.bigint() - from) / 1e6;
}

function run(layoutFile, rosterFile, outDir, date) {
    const source = emit(readLayout(layoutFile));
    const people = fs.readFileSync(rosterFile, 'utf8').split('\n')
        .filter((l) => l !== '').map((l) => l.split('\t'));
    const fonts = path.join(__dirname, '..', '..', 'fonts');
    const when = longDate(date);

    // Start-up: the native module and a compiler that has read the fonts
    // (only pledge's four Noto Serif files, from fonts/).
    let t = process.hrtime.bigint();
    const pkg = require('@myriaddreamin/typst-ts-node-compiler');
    const compiler = pkg.NodeCompiler.create({
        workspace: outDir,
        fontArgs: [{ fontPaths: [fonts] }],
    });
    const startup = ms(t);

    fs.mkdirSync(outDir, { recursive: true });
    let bytes = 0, first = 0;
    const cpu0 = process.cpuUsage();
    t = process.hrtime.bigint();
    people.forEach(([name, credentials = '', id = ''], i) => {
        const res = compiler.compile({
            mainFileContent: source,
            inputs: { name, credentials, id, date: when },
        });
        const err = res.takeError();
        if (err !== null) {
            const diag = compiler.fetchDiagnostics(err);
            fail(`compile ${name}: ${JSON.stringify(diag)}`, 1);
        }
        const pdf = compiler.pdf(res.result);
        const file = path.join(outDir,
                               String(i + 1).padStart(4, '0') + '.pdf');
        fs.writeFileSync(file, pdf);
        bytes += pdf.length;
        if (i === 0)
            first = ms(t);
        // What the package's docs advise a tool that is not a watcher to
        // do after each compile.  It takes no time here; without it the
        // process grows to about 1 GB over 500 documents, with it to 0.7.
        compiler.evictCache(10);
    });
    const wall = ms(t);
    const cpu = process.cpuUsage(cpu0);
    const version = JSON.parse(fs.readFileSync(path.join(
        path.dirname(require.resolve('@myriaddreamin/typst-ts-node-compiler')),
        'package.json'), 'utf8')).version;

    process.stdout.write([
        `version ${version}`,
        `startup_ms ${startup.toFixed(1)}`,
        `docs ${people.length}`,
        `compile_ms ${wall.toFixed(1)}`,
        `first_ms ${first.toFixed(1)}`,
        `cpu_ms ${((cpu.user + cpu.system) / 1000).toFixed(1)}`,
        `bytes ${Math.round(bytes / Math.max(people.length, 1))}`,
        `rss_kb ${process.resourceUsage().maxRSS}`,
    ].join('\n') + '\n');
}

const argv = process.argv.slice(2);
if (argv[0] === 'emit' && argv.length === 2)
    process.stdout.write(emit(readLayout(argv[1])));
else if (argv[0] === 'run' && argv.length === 5)
    run(argv[1], argv[2], argv[3], argv[4]);
else
    fail(usage.trimEnd(), 2);
