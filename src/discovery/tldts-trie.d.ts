// tldts ships types for its trie data under dist/types; this tells TypeScript that the
// CommonJS data module exists. Its shape is checked where it is used (publicSuffixTlds.ts).
declare module 'tldts/dist/cjs/src/data/trie.js' {
  export const nodeFlags: Uint8Array;
  export const edgeStart: Uint16Array;
  export const edgeLength: Uint8Array;
  export const edgeChild: Uint16Array;
  export const labelText: string;
  export const rulesRoot: number;
}
