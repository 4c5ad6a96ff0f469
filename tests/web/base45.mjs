// base45.mjs - RFC 9285 base45 encoding, for the tests that make seals.
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

export function base45(bytes) {
    let s = '';
    for (let i = 0; i < bytes.length; i += 2) {
        if (i + 1 < bytes.length) {
            let n = bytes[i] * 256 + bytes[i + 1];
            for (let k = 0; k < 3; k++, n = Math.floor(n / 45))
                s += ALPHABET[n % 45];
        } else {
            s += ALPHABET[bytes[i] % 45] + ALPHABET[Math.floor(bytes[i] / 45)];
        }
    }
    return s;
}
