/**
 * The part of the WebAssembly JavaScript API that textWalk.ts uses. Node 20 has all of it, but
 * @types/node 20 declares none of it and the DOM library would bring the browser's globals in.
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  /** whether the engine would compile these bytes (false for instructions it lacks, such as SIMD) */
  function validate(bytes: Uint8Array): boolean;
}
