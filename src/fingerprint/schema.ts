/**
 * Version of the fingerprint features. Bump it whenever a change to feature extraction or hashing
 * would make new fingerprints incomparable with stored ones; reference sets record it.
 */
export const FINGERPRINT_SCHEMA = 2;
