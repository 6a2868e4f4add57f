/** A page containing this comment is never finished by test/check/stallingPageThread.ts. */
export const STALL_MARKER = '<!-- hopwatch-test: stall this page -->';
export const STALLING_THREAD = new URL('./stallingPageThread.ts', import.meta.url);
