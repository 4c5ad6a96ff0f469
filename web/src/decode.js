// decode.js - the page's QR decoder, run as a worker so that reading a
// large photo (a second or more on a phone) never freezes the page.
// Each message is one picture's pixels, { width, height, data } (RGBA,
// the buffer transferred); the answer is { text } or { text: null }.

import jsQR from 'jsqr';

self.onmessage = (e) => {
    const { width, height, data } = e.data;
    const code = jsQR(new Uint8ClampedArray(data), width, height,
        { inversionAttempts: 'attemptBoth' });
    self.postMessage({ text: code ? code.data : null });
};
