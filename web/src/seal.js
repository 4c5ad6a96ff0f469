// seal.js - parse and check a pledge seal (docs/seal-format.md) against
// the keyring built into the page.  Pure: no DOM, so Node runs it too.
//
// The checks run in the order the format prescribes; the first that
// fails is the verdict.  Every verdict carries `status` (VALID, INVALID,
// REVOKED, EXPIRED), a machine `code`, a `reason` in the CLI's terms and
// `facts` once the seal parsed.

import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { blake2b } from '@noble/hashes/blake2.js';

ed.hashes.sha512 = sha512;

export const PREFIX = 'PL1:';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const DOMAIN = new TextEncoder().encode('pledge-seal:1\n');
const KINDS = { 0x41: 'A', 0x50: 'P', 0x45: 'E' };
const SIG_BYTES = 64;
const STRING_MAX = 200;
const DAY_MS = 86400000;
const EPOCH = Date.UTC(2000, 0, 1);

export class SealError extends Error {}

// RFC 9285 base45, strict: any character outside the alphabet (lower
// case included), a lone trailing character, or a group above what its
// bytes hold is refused.
export function base45Decode(text) {
    const out = [];
    const v = [];
    for (const ch of text) {
        const i = ALPHABET.indexOf(ch);
        if (i < 0 || ch.length !== 1)
            throw new SealError(`the character "${ch}" is not base45`);
        v.push(i);
    }
    if (v.length % 3 === 1)
        throw new SealError('base45 ends in a single character');
    for (let i = 0; i < v.length; i += 3) {
        if (i + 2 < v.length) {
            const n = v[i] + v[i + 1] * 45 + v[i + 2] * 2025;
            if (n > 0xffff)
                throw new SealError(`base45 group ${i / 3 + 1} exceeds 65535`);
            out.push(n >> 8, n & 0xff);
        } else {
            const n = v[i] + v[i + 1] * 45;
            if (n > 0xff)
                throw new SealError('base45 final pair exceeds 255');
            out.push(n);
        }
    }
    return Uint8Array.from(out);
}

export function hex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// A key ID as minisign shows it: the stored bytes reversed, upper case.
export function keyIdHex(bytes) {
    return hex(Uint8Array.from(bytes).reverse()).toUpperCase();
}

export function dayToDate(days) {
    return new Date(EPOCH + days * DAY_MS).toISOString().slice(0, 10);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function readString(p, at, what) {
    if (at >= p.length)
        throw new SealError(`the seal ends before its ${what}`);
    const n = p[at];
    if (n > STRING_MAX)
        throw new SealError(`its ${what} is ${n} bytes, more than ${STRING_MAX}`);
    if (at + 1 + n > p.length)
        throw new SealError(`the seal ends inside its ${what}`);
    let s;
    try {
        s = utf8.decode(p.subarray(at + 1, at + 1 + n));
    } catch {
        throw new SealError(`its ${what} is not UTF-8`);
    }
    if (/[\u0000-\u001f\u007f]/.test(s))
        throw new SealError(`its ${what} holds a control character`);
    return [s, at + 1 + n];
}

// The payload's fields, or a SealError saying what is wrong.
export function parsePayload(p) {
    if (p.length < 1 || p[0] !== 0x01)
        throw new SealError(p.length < 1 ? 'the seal is empty'
            : `format version ${p[0]}, not 1`);
    if (p.length < 30)
        throw new SealError('the seal is too short');
    const kind = KINDS[p[1]];
    if (kind === undefined)
        throw new SealError(`unknown kind 0x${p[1].toString(16).padStart(2, '0')}`);
    const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
    const seal = {
        kind,
        keyId: keyIdHex(p.subarray(2, 10)),
        keyIdBytes: p.slice(2, 10),
        date: dayToDate(dv.getUint16(10)),
        until: dv.getUint16(12) === 0 ? '' : dayToDate(dv.getUint16(12)),
        textHash: hex(p.subarray(14, 30)),
        applicantKeyId: '',
    };
    let at = 30;
    if (kind === 'E') {
        if (p.length < 38)
            throw new SealError('the seal ends before the applicant\'s key ID');
        seal.applicantKeyId = keyIdHex(p.subarray(30, 38));
        at = 38;
    }
    for (const [field, what] of [['association', 'association'],
        ['layout', 'layout id'], ['revision', 'revision'],
        ['applicant', 'applicant name'], ['memberId', 'member ID']])
        [seal[field], at] = readString(p, at, what);
    if (p.length - at !== SIG_BYTES)
        throw new SealError(p.length - at < SIG_BYTES
            ? 'the seal ends inside its signature'
            : `${p.length - at - SIG_BYTES} bytes follow the signature`);
    seal.signed = new Uint8Array(DOMAIN.length + at);
    seal.signed.set(DOMAIN, 0);
    seal.signed.set(p.subarray(0, at), DOMAIN.length);
    seal.signature = p.slice(at);
    seal.id = hex(blake2b(p, { dkLen: 32 }));
    return seal;
}

// The text a QR code or an address carries, "PL1:" and base45.
export function parseText(text) {
    if (!text.startsWith(PREFIX))
        throw new SealError('it does not start with "PL1:"');
    return parsePayload(base45Decode(text.slice(PREFIX.length)));
}

function fromHex(s) {
    return Uint8Array.from(s.match(/../g) || [], (h) => parseInt(h, 16));
}

// Ed25519 over the signed message: WebCrypto's where the browser has it,
// else the bundled implementation (RFC 8032's strict rules, as libsodium).
export async function ed25519Verify(sig, msg, pub) {
    const subtle = globalThis.crypto && globalThis.crypto.subtle;
    if (subtle) {
        try {
            const key = await subtle.importKey('raw', pub, { name: 'Ed25519' },
                false, ['verify']);
            return await subtle.verify({ name: 'Ed25519' }, key, sig, msg);
        } catch {
            // No Ed25519 in this WebCrypto: fall through.
        }
    }
    try {
        return ed.verify(sig, msg, pub, { zip215: false });
    } catch {
        return false;
    }
}

const KIND_WORDS = {
    A: 'issued by the association',
    P: 'signed by the applicant',
    E: 'endorsed by the association',
};

function facts(seal, key) {
    return {
        kind: seal.kind,
        kindWords: KIND_WORDS[seal.kind],
        applicant: seal.applicant,
        memberId: seal.memberId,
        association: seal.association,
        layout: seal.layout,
        revision: seal.revision,
        date: seal.date,
        until: seal.until,
        signer: key ? key.name : '',
        keyId: seal.keyId,
        applicantKeyId: seal.applicantKeyId,
        sealId: seal.id,
        role: '',
        retired: '',
    };
}

function verdict(status, code, reason, f, extra) {
    return { status, code, reason, facts: f, ...extra };
}

function listed(layouts, id) {
    return layouts.includes(id);
}

// The role record against the seal: a reason, or '' when it may sign it.
function roleProblem(seal, key) {
    const needs = seal.kind === 'P' ? 'applicant' : 'association';
    if (key.role === '')
        return needs === 'association'
            ? `key ${seal.keyId} has no role record; a seal of kind ${seal.kind} needs role association`
            : '';
    if (key.role !== needs)
        return `key ${seal.keyId} has role ${key.role}; a seal of kind ${seal.kind} needs role ${needs}`;
    if (key.association && key.association !== seal.association)
        return `key ${seal.keyId} may sign only pledges of association "${key.association}"`;
    if (key.layouts.length > 0 && !listed(key.layouts, seal.layout))
        return `key ${seal.keyId} may sign only pledges of the layouts ${key.layouts.join(' ')}`;
    if (key.role === 'applicant' && key.applicant !== seal.applicant)
        return `key ${seal.keyId} may sign only the pledge of applicant "${key.applicant}"`;
    if (key.role === 'applicant' && key.member_id && key.member_id !== seal.memberId)
        return `key ${seal.keyId} may sign only the pledge of member ID "${key.member_id}"`;
    return '';
}

// The entry of a list signed by the seal's key that revokes it by the
// check date, or null.
function revocation(seal, keyring, today) {
    for (const list of keyring.revocations || []) {
        if (list.key.toUpperCase() !== seal.keyId)
            continue;
        for (const e of list.entries) {
            if (e.date > today)
                continue;
            const v = e.value;
            if ((e.kind === 'member-id' && seal.memberId !== '' && v === seal.memberId) ||
                (e.kind === 'key-id' && (v.toUpperCase() === seal.keyId ||
                    (seal.kind === 'E' && v.toUpperCase() === seal.applicantKeyId))) ||
                (e.kind === 'seal' && v.toLowerCase() === seal.id))
                return e;
        }
    }
    return null;
}

// Today's date, UTC, as YYYY-MM-DD.
export function today(now = new Date()) {
    return now.toISOString().slice(0, 10);
}

// Checks the seal text against the keyring; `at` is the check date.
export async function checkSeal(text, keyring, at = today()) {
    let seal;
    try {
        seal = parseText(text);
    } catch (e) {
        if (!(e instanceof SealError))
            throw e;
        return verdict('INVALID', 'not-a-seal', `not a pledge seal: ${e.message}`, null);
    }
    const key = (keyring.keys || []).find((k) => k.id.toUpperCase() === seal.keyId);
    const f = facts(seal, key);
    if (!key)
        return verdict('INVALID', 'unknown-key',
            `signed by key ${seal.keyId}, which this keyring does not hold`, f);
    if (!await ed25519Verify(seal.signature, seal.signed, fromHex(key.public_key)))
        return verdict('INVALID', 'altered',
            'the seal\'s signature does not match its facts (altered or damaged)', f);
    const problem = roleProblem(seal, key);
    if (problem)
        return verdict('INVALID', 'role', problem, f);
    f.role = key.role === '' ? 'none recorded' : key.role;
    if (key.retired) {
        if (key.retired < seal.date)
            return verdict('INVALID', 'retired',
                `signed on ${seal.date} with key ${seal.keyId}, which was retired on ${key.retired}`, f);
        f.retired = key.retired;
    }
    const r = revocation(seal, keyring, at);
    if (r)
        return verdict('REVOKED', 'revoked', `revoked on ${r.date}: ${r.reason}`, f,
            { revoked: { kind: r.kind, value: r.value, date: r.date, reason: r.reason } });
    if (seal.until && seal.until < at)
        return verdict('EXPIRED', 'expired', `expired on ${seal.until}`, f);
    return verdict('VALID', 'valid', '', f);
}
