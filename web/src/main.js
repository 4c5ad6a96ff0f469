// main.js - the verify page: reads a seal from the camera, a photo or
// the address after "#", checks it with seal.js against the keyring the
// site was built with (keyring.js), and says the verdict in words.
// Nothing leaves the device.

import jsQR from 'jsqr';
import { checkSeal, PREFIX } from './seal.js';
import { explain } from './words.js';

const keyring = globalThis.PLEDGE_KEYRING || { keys: [], revocations: [] };
const $ = (id) => document.getElementById(id);

// The decoder worker (decode.js), started on first use; null when this
// browser cannot start it, and the page decodes on its own thread.
let worker;

function decoder() {
    if (worker === undefined) {
        try {
            worker = new Worker('decode.js');
        } catch {
            worker = null;
        }
    }
    return worker;
}

// The QR text in one picture's pixels, or null: in the worker, or here
// when there is none or it fails.
function decodePixels(img) {
    const w = decoder();
    const here = () => {
        const code = jsQR(img.data, img.width, img.height,
            { inversionAttempts: 'attemptBoth' });
        return code ? code.data : null;
    };
    if (w === null)
        return Promise.resolve(here());
    return new Promise((resolve) => {
        const done = (text) => {
            w.removeEventListener('message', ok);
            w.removeEventListener('error', bad);
            resolve(text);
        };
        const ok = (e) => done(e.data.text);
        const bad = (e) => {
            e.preventDefault();
            w.terminate();
            worker = null;
            done(here());
        };
        w.addEventListener('message', ok);
        w.addEventListener('error', bad);
        // The pixels are copied for the worker, so that a failing worker
        // leaves them here for the fallback.
        const copy = img.data.slice().buffer;
        w.postMessage({ width: img.width, height: img.height, data: copy },
            [copy]);
    });
}

// Finds a QR code in a picture: first as it is, then scaled down (a
// phone photo is larger than the decoder needs).
async function decodeCanvas(source, width, height) {
    const sizes = [1, 1600 / Math.max(width, height), 900 / Math.max(width, height)];
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    for (const s of sizes) {
        if (s > 1)
            continue;
        canvas.width = Math.round(width * s);
        canvas.height = Math.round(height * s);
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
        const text = await decodePixels(
            ctx.getImageData(0, 0, canvas.width, canvas.height));
        if (text !== null)
            return text;
    }
    return null;
}

function setStatus(text) {
    $('status').textContent = text;
}

function row(dl, label, value) {
    if (!value)
        return;
    const dt = document.createElement('dt');
    const dd = document.createElement('dd');
    dt.textContent = label;
    dd.textContent = value;
    dl.append(dt, dd);
}

async function show(text, from) {
    const v = await checkSeal(text, keyring);
    const w = explain(v, keyring);
    const result = $('result');
    result.hidden = false;
    result.dataset.status = v.status;
    result.dataset.code = v.code;
    $('verdict-word').textContent = w.word;
    $('verdict').textContent = w.headline;
    $('explain').textContent = w.detail;
    $('source').textContent = `Read from ${from}.`;
    const dl = $('facts');
    dl.replaceChildren();
    $('facts-heading').textContent = w.factsHeading;
    $('facts-heading').hidden = !v.facts;
    if (v.facts) {
        const f = v.facts;
        row(dl, 'What it is', f.kindWords);
        row(dl, 'Applicant', f.applicant);
        row(dl, 'Member ID', f.memberId);
        row(dl, 'Association', f.association);
        row(dl, 'Document', f.layout);
        // An undated revision is a note for the association's editors,
        // not a revision a reader can look up.
        row(dl, 'Revision', /^undated/i.test(f.revision) ? '' : f.revision);
        row(dl, 'Date signed', f.date);
        row(dl, 'Valid until', f.until || (v.status === 'INVALID' ? '' : 'no expiry'));
        row(dl, 'Signed by', f.signer ? `${f.signer} (key ${f.keyId})` : `key ${f.keyId}`);
        if (f.applicantKeyId)
            row(dl, 'Applicant\'s key', f.applicantKeyId);
        if (f.retired)
            row(dl, 'Key retired', `on ${f.retired}, after it signed this`);
        if (f.role === 'none recorded')
            row(dl, 'Key role', 'none recorded: this key is trusted for any pledge');
        row(dl, 'Seal ID', f.sealId);
    }
    $('verdict').focus();
}

// ---- The address: the seal text after "#", percent-encoded or not. ----

function fromAddress() {
    const frag = location.hash.slice(1);
    if (frag === '')
        return;
    let text;
    try {
        text = decodeURIComponent(frag);
    } catch {
        text = frag;
    }
    show(text, 'this page\'s address');
}

// ---- A photo or scan chosen with the file control. ----

async function fromFile(file) {
    setStatus(`Looking for the seal in ${file.name}…`);
    let bitmap;
    try {
        bitmap = await createImageBitmap(file);
    } catch {
        setStatus(`${file.name} could not be read as a picture. Choose a photo (JPEG or PNG).`);
        return;
    }
    const text = await decodeCanvas(bitmap, bitmap.width, bitmap.height);
    bitmap.close();
    if (text === null) {
        setStatus(`No seal found in ${file.name}. Take a sharper photo with the whole square code in view, flat and well lit.`);
        return;
    }
    setStatus('');
    show(text, `the photo ${file.name}`);
}

// ---- The camera: frames scanned until a code is found. ----

let stream = null;
let timer = 0;

function stopCamera() {
    clearInterval(timer);
    timer = 0;
    if (stream)
        stream.getTracks().forEach((t) => t.stop());
    stream = null;
    $('video').hidden = true;
    $('camera-stop').hidden = true;
    $('camera-start').hidden = false;
}

async function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        setStatus('This browser offers no camera to this page. Choose a photo instead.');
        return;
    }
    setStatus('Starting the camera…');
    try {
        stream = await navigator.mediaDevices.getUserMedia(
            { video: { facingMode: 'environment' }, audio: false });
    } catch (e) {
        setStatus(`The camera could not be started (${e.name}). Choose a photo instead.`);
        return;
    }
    const video = $('video');
    video.srcObject = stream;
    video.hidden = false;
    $('camera-start').hidden = true;
    $('camera-stop').hidden = false;
    $('camera-stop').focus();
    await video.play().catch(() => {});
    setStatus('Point the camera at the square code on the pledge.');
    let busy = false;
    timer = setInterval(async () => {
        if (busy || video.readyState < 2 || video.videoWidth === 0)
            return;
        busy = true;
        const text = await decodeCanvas(video, video.videoWidth, video.videoHeight);
        busy = false;
        if (timer !== 0 && text !== null && text.startsWith(PREFIX)) {
            stopCamera();
            setStatus('');
            show(text, 'the camera');
        }
    }, 250);
}

function init() {
    const n = (keyring.keys || []).length;
    const names = [...new Set((keyring.keys || []).map((k) => k.name))];
    $('keyring').textContent = n === 0
        ? 'This page holds no keys: it cannot confirm any seal.'
        : `This page checks seals against ${n} key${n === 1 ? '' : 's'} of: ${names.join('; ')}.`;
    $('camera-start').addEventListener('click', startCamera);
    $('camera-stop').addEventListener('click', stopCamera);
    $('photo').addEventListener('change', (e) => {
        const f = e.target.files && e.target.files[0];
        if (f)
            fromFile(f);
    });
    window.addEventListener('hashchange', fromAddress);
    fromAddress();
    if ('serviceWorker' in navigator && /^https?:$/.test(location.protocol))
        navigator.serviceWorker.register('sw.js').catch(() => {});
}

init();
