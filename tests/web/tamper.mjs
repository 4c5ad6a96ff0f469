// tamper.mjs - a seal text with one byte of its applicant's name changed
// and its signature left as it was: what an altered seal looks like.
//
//   node tamper.mjs 'PL1:...' NAME
import { base45 } from './base45.mjs';

const { base45Decode } = await import(new URL('../../web/src/seal.js', import.meta.url));
const [text, name] = process.argv.slice(2);
const p = base45Decode(text.slice(4));
const at = Buffer.from(p).indexOf(Buffer.from(name));
if (at < 0) {
    console.error(`tamper: "${name}" is not in the seal`);
    process.exit(2);
}
p[at] ^= 0x01;
console.log(`PL1:${base45(p)}`);
