// makeseal.mjs - makes a pledge seal text ("PL1:" base45) as
// docs/seal-format.md specifies, signed with an unencrypted minisign
// secret key (pledge keygen --no-passphrase), for the verify page's tests.
//
//   node makeseal.mjs --key K.key [--kind A|P|E] [--date D] [--until D]
//       [--association A] [--layout L] [--revision R] [--applicant N]
//       [--member-id M] [--applicant-key-id HEX] [--tamper]
//
// Prints the seal text, then its seal ID on a second line.  --tamper
// changes one byte of the applicant's name after signing.
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { base45 } from './base45.mjs';
// BLAKE2b-256 (node's crypto has only BLAKE2b-512): the page's own package.
const { blake2b } = await import(new URL('../../web/node_modules/@noble/hashes/blake2.js', import.meta.url));

const { values: o } = parseArgs({
    options: {
        key: { type: 'string' },
        kind: { type: 'string', default: 'A' },
        date: { type: 'string', default: '2026-11-21' },
        until: { type: 'string', default: '' },
        association: { type: 'string', default: 'Virginia Association for Infant Mental Health' },
        layout: { type: 'string', default: 'vaimh-code' },
        revision: { type: 'string', default: 'Undated (as captured)' },
        applicant: { type: 'string', default: 'Jane Doe' },
        'member-id': { type: 'string', default: 'VA-0142' },
        'applicant-key-id': { type: 'string', default: '' },
        'text-hash': { type: 'string', default: 'ff6e40441fa064ab4cfc6765ad081580' },
        tamper: { type: 'boolean', default: false },
    },
});


const days = (d) => d === '' ? 0 : (Date.parse(`${d}T00:00:00Z`) - Date.UTC(2000, 0, 1)) / 86400000;
const u16 = (n) => [n >> 8, n & 0xff];
// minisign stores key IDs little-endian; the hex it shows is reversed.
const idBytes = (hex) => Buffer.from(hex, 'hex').reverse();

// "Ed" "\0\0" "B2" salt(32) ops(8) mem(8) | id(8) seed(32) pk(32) sum(32)
const sk = Buffer.from(readFileSync(o.key, 'utf8').split('\n')[1], 'base64');
const keyId = sk.subarray(54, 62);
const seed = sk.subarray(62, 94);

const str = (s) => { const b = Buffer.from(s, 'utf8'); return [b.length, ...b]; };
const body = Buffer.from([
    0x01, o.kind.charCodeAt(0), ...keyId, ...u16(days(o.date)), ...u16(days(o.until)),
    ...Buffer.from(o['text-hash'], 'hex').subarray(0, 16),
    ...(o.kind === 'E' ? idBytes(o['applicant-key-id']) : []),
    ...str(o.association), ...str(o.layout), ...str(o.revision),
    ...str(o.applicant), ...str(o['member-id']),
]);
const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
const sig = sign(null, Buffer.concat([Buffer.from('pledge-seal:1\n'), body]),
    createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }));
const payload = Buffer.concat([body, sig]);
if (o.tamper) {
    const at = payload.indexOf(Buffer.from(o.applicant));
    payload[at] ^= 0x01;
}
process.stdout.write(`PL1:${base45(payload)}\n`);
process.stdout.write(`${Buffer.from(blake2b(payload, { dkLen: 32 })).toString('hex')}\n`);
