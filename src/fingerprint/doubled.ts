/** A copy of `a` twice as long, the rest zero: the growth step of the fingerprint's typed-array tables. */
export function doubled(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
