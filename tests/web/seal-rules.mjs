// seal-rules.mjs - the verify page's checker (web/src/seal.js) against
// every rule of docs/seal-format.md, in Node: strict base45, each parse
// rule, the signed message, roles, retirement, revocation and expiry.
// Prints "pass NAME" / "fail NAME: why" lines (tests/shell/lib.sh's form).
const src = new URL('../../web/src/seal.js', import.meta.url);
const nm = (p) => new URL(`../../web/node_modules/${p}`, import.meta.url);
const S = await import(src);
const { base45: b45 } = await import('./base45.mjs');
const ed = await import(nm('@noble/ed25519/index.js'));
const { sha512 } = await import(nm('@noble/hashes/sha2.js'));
const { blake2b } = await import(nm('@noble/hashes/blake2.js'));
ed.hashes.sha512 = sha512;

const out = (ok, name, why = '') => console.log(ok ? `pass ${name}` : `fail ${name}: ${why}`);
const enc = new TextEncoder();
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const days = (d) => d ? (Date.parse(`${d}T00:00:00Z`) - Date.UTC(2000, 0, 1)) / 86400000 : 0;

// ---- base45, RFC 9285's examples and what strictness refuses ----
const dec = (s) => new TextDecoder().decode(S.base45Decode(s));
for (const [t, want] of [['BB8', 'AB'], ['%69 VD92EX0', 'Hello!!'], ['UJCLQE7W581', 'base-45'], ['QED8WEX0', 'ietf!']])
    out(dec(t) === want, `base45 "${t}" is "${want}"`, dec(t));
for (const [t, why] of [['GGW', 'a group over 65535'], ['BB8A', 'a lone last character'],
    ['bb8', 'lower case'], ['BB8\n', 'a line feed'], ['BB8=', 'a character outside the alphabet'], [':;', 'a pair over 255']]) {
    let threw = false;
    try { S.base45Decode(t); } catch (e) { threw = e instanceof S.SealError; }
    out(threw, `base45 refuses ${why}`, 'accepted');
}

// ---- seals made here, signed with keys made here ----
function key(name, role, extra = {}) {
    const sk = ed.utils.randomSecretKey();
    const id = Uint8Array.from({ length: 8 }, () => Math.floor(Math.random() * 256));
    return { sk, idBytes: id, entry: { id: S.keyIdHex(id), public_key: hex(ed.getPublicKey(sk)), name, role,
        association: 'VAIMH', layouts: [], applicant: '', member_id: '', retired: '', ...extra } };
}
function seal(k, f = {}) {
    const o = { kind: 'A', date: '2026-11-21', until: '', association: 'VAIMH', layout: 'vaimh-code', revision: 'r1',
        applicant: 'Jane Doe', member: 'VA-0142', appKey: new Uint8Array(8), ...f };
    const str = (s) => { const b = typeof s === 'string' ? enc.encode(s) : s; return [b.length, ...b]; };
    const u16 = (n) => [n >> 8, n & 255];
    const body = Uint8Array.from([1, o.kind.charCodeAt(0), ...k.idBytes, ...u16(days(o.date)), ...u16(days(o.until)),
        ...new Uint8Array(16).fill(7), ...(o.kind === 'E' ? o.appKey : []),
        ...str(o.association), ...str(o.layout), ...str(o.revision), ...str(o.applicant), ...str(o.member)]);
    const msg = Uint8Array.from([...enc.encode('pledge-seal:1\n'), ...body]);
    const payload = Uint8Array.from([...body, ...ed.sign(f.signWrong ? body : msg, k.sk), ...(f.trailing || [])]);
    return { text: `PL1:${b45(f.cut ? payload.subarray(0, payload.length - 1) : payload)}`, payload };
}
const assoc = key('VAIMH', 'association');
const app = key('Jane Doe', 'applicant', { applicant: 'Jane Doe', member_id: 'VA-0142' });
const bare = key('bare', '', { association: '' });
const old = key('VAIMH', 'association', { retired: '2026-06-01' });
const keyring = { keys: [assoc.entry, app.entry, bare.entry, old.entry], revocations: [] };
const AT = '2026-12-06';

async function expect(name, s, status, code, kr = keyring, at = AT) {
    const v = await S.checkSeal(typeof s === 'string' ? s : s.text, kr, at);
    out(v.status === status && (!code || v.code === code), name, `${v.status} ${v.code}: ${v.reason}`);
    return v;
}

const good = seal(assoc);
const v = await expect('a seal signed as the format says is VALID', good, 'VALID', 'valid');
out(v.facts.sealId === hex(blake2b(good.payload, { dkLen: 32 })), 'the seal ID is BLAKE2b-256 of the payload', v.facts.sealId);
out(v.facts.date === '2026-11-21' && v.facts.until === '', 'the date is read as days since 2000-01-01', v.facts.date);
await expect('another prefix is not a seal', good.text.replace('PL1:', 'PL2:'), 'INVALID', 'not-a-seal');
await expect('version 2 is not a seal', `PL1:${b45(Uint8Array.from([2, ...good.payload.subarray(1)]))}`, 'INVALID', 'not-a-seal');
await expect('an unknown kind is not a seal', `PL1:${b45(Uint8Array.from([1, 0x58, ...good.payload.subarray(2)]))}`, 'INVALID', 'not-a-seal');
await expect('a string over 200 bytes is refused', seal(assoc, { applicant: 'x'.repeat(201) }), 'INVALID', 'not-a-seal');
await expect('a control character is refused', seal(assoc, { applicant: 'Jane\tDoe' }), 'INVALID', 'not-a-seal');
await expect('DEL is refused', seal(assoc, { member: 'VA\x7f1' }), 'INVALID', 'not-a-seal');
await expect('invalid UTF-8 is refused', seal(assoc, { applicant: Uint8Array.from([0xc3, 0x28]) }), 'INVALID', 'not-a-seal');
await expect('a byte after the signature is refused', seal(assoc, { trailing: [0] }), 'INVALID', 'not-a-seal');
await expect('a short signature is refused', seal(assoc, { cut: true }), 'INVALID', 'not-a-seal');
await expect('non-Latin names are read', seal(assoc, { applicant: 'Nguyễn Thị Minh Khai' }), 'VALID');
await expect('a signature over the payload alone (no "pledge-seal:1") fails', seal(assoc, { signWrong: true }), 'INVALID', 'altered');
const flipped = Uint8Array.from(good.payload); flipped[flipped.length - 70] ^= 1;
await expect('one byte changed fails the signature', `PL1:${b45(flipped)}`, 'INVALID', 'altered');
await expect('a key the keyring lacks', seal(key('x', 'association')), 'INVALID', 'unknown-key');
await expect('kind P by an association key is refused', seal(assoc, { kind: 'P' }), 'INVALID', 'role');
await expect('kind A by an applicant key is refused', seal(app, { kind: 'A' }), 'INVALID', 'role');
await expect('kind P by the applicant\'s key', seal(app, { kind: 'P' }), 'VALID');
await expect('kind P of another applicant is refused', seal(app, { kind: 'P', applicant: 'Ann Roe' }), 'INVALID', 'role');
await expect('kind P of another member ID is refused', seal(app, { kind: 'P', member: 'VA-9' }), 'INVALID', 'role');
const none = await expect('kind P by a key with no record', seal(bare, { kind: 'P' }), 'VALID');
out(none.facts.role === 'none recorded', 'a key with no record says "none recorded"', none.facts.role);
await expect('kind A by a key with no record is refused', seal(bare), 'INVALID', 'role');
await expect('another association is refused', seal(assoc, { association: 'MI-AIMH' }), 'INVALID', 'role');
const lk = { keys: [{ ...assoc.entry, layouts: ['vaimh-values'] }], revocations: [] };
await expect('a layout the record does not list is refused', good, 'INVALID', 'role', lk);
await expect('a retired key after its retirement', seal(old, { date: '2026-06-02' }), 'INVALID', 'retired');
const ret = await expect('a retired key on its last day', seal(old, { date: '2026-06-01' }), 'VALID');
out(ret.facts.retired === '2026-06-01', 'VALID says the key was retired', ret.facts.retired);
const appKey = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
const e = seal(assoc, { kind: 'E', until: '2027-01-01', appKey });
const ev = await expect('an endorsement within its term', e, 'VALID');
out(ev.facts.applicantKeyId === '0807060504030201', 'the applicant key ID is shown as minisign shows it', ev.facts.applicantKeyId);
await expect('an endorsement after its term', e, 'EXPIRED', 'expired', keyring, '2027-01-02');
await expect('an endorsement on its last day', e, 'VALID', 'valid', keyring, '2027-01-01');
const list = (entries, k = assoc.entry.id) => ({ keys: keyring.keys, revocations: [{ key: k, sequence: 1, entries }] });
const ent = (kind, value, date = '2026-12-01') => ({ kind, value, date, reason: 'why' });
await expect('revoked by member ID', good, 'REVOKED', 'revoked', list([ent('member-id', 'VA-0142')]));
await expect('revoked by the signer\'s key ID', good, 'REVOKED', 'revoked', list([ent('key-id', assoc.entry.id)]));
await expect('revoked by the applicant\'s key ID (kind E)', e, 'REVOKED', 'revoked', list([ent('key-id', '0807060504030201')]));
await expect('revoked by seal ID', good, 'REVOKED', 'revoked', list([ent('seal', hex(blake2b(good.payload, { dkLen: 32 })))]));
await expect('a revocation dated after the check date does not count yet', good, 'VALID', 'valid', list([ent('member-id', 'VA-0142', '2026-12-31')]));
await expect('a list by another key does not revoke', good, 'VALID', 'valid', list([ent('member-id', 'VA-0142')], app.entry.id));
await expect('revocation comes before expiry', e, 'REVOKED', 'revoked', { ...list([ent('member-id', 'VA-0142')]) }, '2027-02-01');
