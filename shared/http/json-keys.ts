/**
 * Repeated member names in JSON text. JSON.parse silently keeps the last of them, while
 * another reader (a proxy, a log, a reviewer) may take the first: the body would mean two
 * things. Expects text JSON.parse has accepted; one linear scan, no recursion.
 */
export interface DuplicateKey {
  /** The repeated name, unescaped. */
  key: string;
  /** Where the repeated member is: the names and array indexes down to it, then the key. */
  path: (string | number)[];
}

type Frame = { kind: 'object'; keys: Set<string>; key: string | undefined; expectKey: boolean } | { kind: 'array'; index: number };

export function findDuplicateKeys(json: string, limit = 10): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const stack: Frame[] = [];
  for (let i = 0; i < json.length && found.length < limit; i++) {
    const c = json[i];
    const top = stack[stack.length - 1];
    if (c === '{') stack.push({ kind: 'object', keys: new Set(), key: undefined, expectKey: true });
    else if (c === '[') stack.push({ kind: 'array', index: 0 });
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') {
      if (top?.kind === 'array') top.index++;
      else if (top) top.expectKey = true;
    } else if (c === '"') {
      const start = i;
      let escaped = false;
      for (i++; json[i] !== '"'; i++) {
        if (json[i] === '\\') {
          escaped = true;
          i++; // the escaped character, which may be a quote
        }
      }
      if (top?.kind !== 'object' || !top.expectKey) continue;
      // Escapes ("\u0061" is "a") are decoded so that spellings of one name compare equal.
      const key = escaped ? (JSON.parse(json.slice(start, i + 1)) as string) : json.slice(start + 1, i);
      top.expectKey = false;
      top.key = key;
      if (top.keys.has(key)) found.push({ key, path: [...stack.slice(0, -1).map((f) => (f.kind === 'array' ? f.index : f.key!)), key] });
      else top.keys.add(key);
    }
  }
  return found;
}
