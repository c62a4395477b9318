/**
 * A JSON number kept as its source text, so amounts can become exact satoshis
 * (JSON.parse would turn 123456.78901234 into the nearest double).
 */
export class JsonNumber {
  constructor(readonly raw: string) {}

  toJSON(): number {
    return Number(this.raw);
  }
}

export type LosslessJson = null | boolean | string | JsonNumber | LosslessJson[] | { [key: string]: LosslessJson };

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/** JSON.parse, except that every number becomes a {@link JsonNumber}. Throws SyntaxError on invalid JSON. */
export function parseLosslessJson(text: string): LosslessJson {
  let pos = 0;

  const fail = (what: string): never => {
    throw new SyntaxError(`Invalid JSON at position ${pos}: ${what}`);
  };
  const skipWhitespace = () => {
    WHITESPACE.lastIndex = pos;
    WHITESPACE.exec(text);
    pos = WHITESPACE.lastIndex;
  };
  const expectLiteral = (literal: string) => {
    if (text.startsWith(literal, pos)) pos += literal.length;
    else fail(`expected ${literal}`);
  };

  const parseString = (): string => {
    const start = pos;
    pos++;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (Number.isNaN(c)) fail('unterminated string');
      if (c === 0x22) break;
      if (c === 0x5c) pos++;
      else if (c < 0x20) fail('control character in string');
      pos++;
    }
    pos++;
    // The escapes are standard JSON, so JSON.parse decodes the string literal exactly.
    return JSON.parse(text.slice(start, pos)) as string;
  };

  const parseValue = (): LosslessJson => {
    skipWhitespace();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const object: Record<string, LosslessJson> = {};
      skipWhitespace();
      if (text[pos] === '}') {
        pos++;
        return object;
      }
      for (;;) {
        skipWhitespace();
        if (text[pos] !== '"') fail('expected a key');
        const key = parseString();
        skipWhitespace();
        expectLiteral(':');
        Object.defineProperty(object, key, { value: parseValue(), enumerable: true, writable: true, configurable: true });
        skipWhitespace();
        if (text[pos] === ',') pos++;
        else if (text[pos] === '}') {
          pos++;
          return object;
        } else fail('expected , or }');
      }
    }
    if (c === '[') {
      pos++;
      const array: LosslessJson[] = [];
      skipWhitespace();
      if (text[pos] === ']') {
        pos++;
        return array;
      }
      for (;;) {
        array.push(parseValue());
        skipWhitespace();
        if (text[pos] === ',') pos++;
        else if (text[pos] === ']') {
          pos++;
          return array;
        } else fail('expected , or ]');
      }
    }
    if (c === '"') return parseString();
    if (c === 't') return expectLiteral('true'), true;
    if (c === 'f') return expectLiteral('false'), false;
    if (c === 'n') return expectLiteral('null'), null;
    NUMBER.lastIndex = pos;
    const number = NUMBER.exec(text);
    if (!number) return fail('unexpected character');
    pos = NUMBER.lastIndex;
    return new JsonNumber(number[0]);
  };

  const value = parseValue();
  skipWhitespace();
  if (pos !== text.length) fail('trailing characters');
  return value;
}
