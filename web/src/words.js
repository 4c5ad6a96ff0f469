// words.js - a verdict in words a reviewer without the command line
// understands.  The verdict word comes first, so the result never rests
// on colour.

const WORD = { VALID: 'Genuine', INVALID: 'Not valid', REVOKED: 'Withdrawn', EXPIRED: 'Expired' };

function held(keyring) {
    const names = [...new Set((keyring.keys || []).map((k) => k.name))];
    return names.length ? names.join('; ') : 'none';
}

export function explain(v, keyring) {
    const f = v.facts;
    const compare = 'Compare these facts with the paper: if any differs, the paper is not the pledge this seal was made for.';
    const unconfirmed = 'What the seal claims (not confirmed)';
    const confirmed = 'Facts to compare with the paper';
    const base = { word: WORD[v.status], factsHeading: confirmed };
    switch (v.code) {
    case 'valid': {
        let detail = `It was ${f.kindWords} and signed by ${f.signer} on ${f.date}. ${compare}`;
        if (f.retired)
            detail += ` The key that signed it has since been retired (on ${f.retired}); it signed this seal before then, so the seal still holds.`;
        if (f.role === 'none recorded')
            detail += ' The signing key has no role record in this page\'s keyring, so the page trusts it for any pledge.';
        return { ...base, headline: `This pledge seal is genuine: ${f.applicant || 'the pledge'}, ${f.association}.`, detail };
    }
    case 'not-a-seal':
        return { ...base, headline: 'This is not a pledge seal.', detail: `The code that was read is not a pledge seal, or is damaged: ${v.reason.replace(/^not a pledge seal: /, '')}.` };
    case 'unknown-key':
        return { ...base, factsHeading: unconfirmed, headline: 'We don\'t recognise the key that signed this seal.',
            detail: `It was signed by key ${f.keyId}, which is not one of the keys this page holds (${held(keyring)}). The pledge may come from another association, or be forged: ask the association that issued it.` };
    case 'altered':
        return { ...base, factsHeading: unconfirmed, headline: 'This seal has been altered or is damaged.',
            detail: 'Its signature does not match the facts it carries, so none of them can be trusted. Do not rely on this pledge.' };
    case 'role':
        return { ...base, factsHeading: unconfirmed, headline: 'This seal was signed by a key that may not sign it.',
            detail: `The keyring says: ${v.reason}. Do not rely on this pledge.` };
    case 'retired':
        return { ...base, factsHeading: unconfirmed, headline: 'This seal was signed with a key after it was retired.',
            detail: `It was ${v.reason}. Do not rely on this pledge.` };
    case 'revoked':
        // What the signer stood behind: an endorsement, or the pledge itself.
        return { ...base, headline: `This ${f.kind === 'E' ? 'endorsement' : 'pledge'} was withdrawn on ${v.revoked.date}.`,
            detail: `The signature is genuine, but ${f.signer} has withdrawn it. Reason given: ${v.revoked.reason}` };
    case 'expired':
        return { ...base, headline: `This endorsement expired on ${f.until}.`,
            detail: `The signature is genuine, but the endorsement was valid only until ${f.until}. ${compare}` };
    default:
        return { ...base, headline: 'This seal could not be checked.', detail: v.reason };
    }
}
