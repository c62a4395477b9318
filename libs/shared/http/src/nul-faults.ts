import type { InvalidParam } from './problem';

const NUL = '\u0000';
const MESSAGE = 'must not contain the NUL character (U+0000)';

/**
 * A field fault for every string (or object key) in the input holding a NUL character, which PostgreSQL cannot store in
 * text: every route refuses it at the contract, whatever its schema says. Walks without recursion, so no nesting depth
 * the body parser accepts can overflow the stack.
 */
export function nulFaults(input: unknown, location: InvalidParam['in']): InvalidParam[] {
  const faults: InvalidParam[] = [];
  const pending: Array<[unknown, string]> = [[input, '']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, pointer] = next;
    if (typeof value === 'string') {
      if (value.includes(NUL)) faults.push({ in: location, pointer, message: MESSAGE });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const childPointer = `${pointer}/${key}`;
        if (key.includes(NUL)) faults.push({ in: location, pointer: childPointer, message: MESSAGE });
        pending.push([child, childPointer]);
      }
    }
  }
  return faults;
}
