import { describe, expect, it } from 'vitest';
import { findDuplicateKeys } from '../../shared/http/json-keys';

const dups = (json: string, limit?: number) => {
  JSON.parse(json); // the detector only ever sees text JSON.parse accepted
  return findDuplicateKeys(json, limit);
};

describe('findDuplicateKeys', () => {
  it('finds a repeated top-level key', () => {
    expect(dups('{"title":"a","title":"b"}')).toEqual([{ key: 'title', path: ['title'] }]);
    expect(dups('{"a":1,"b":2,"a":3,"a":4}')).toEqual([
      { key: 'a', path: ['a'] },
      { key: 'a', path: ['a'] },
    ]);
  });

  it('finds nothing in JSON without repeated keys, or that is not an object', () => {
    for (const json of ['{}', '[]', '"title"', '1', 'null', '{"a":1,"b":{"a":2}}', '[{"a":1},{"a":2}]', '{"a":[{"a":1}],"b":{"a":{"a":1}}}']) {
      expect(dups(json), json).toEqual([]);
    }
  });

  it('gives the path of a repeated key inside nested objects', () => {
    expect(dups('{"contact":{"name":"x","email":"e","name":"y"}}')).toEqual([{ key: 'name', path: ['contact', 'name'] }]);
    expect(dups('{"a":{"b":{"c":1,"c":2}},"d":1}')).toEqual([{ key: 'c', path: ['a', 'b', 'c'] }]);
  });

  it('gives each object in an array its own key set, and names the index', () => {
    expect(dups('{"skills":[{"skill":"s","level":"a"},{"skill":"t","level":"b"}]}')).toEqual([]);
    expect(dups('{"skills":[{"skill":"s"},{"skill":"t","level":"a","level":"z"}]}')).toEqual([{ key: 'level', path: ['skills', 1, 'level'] }]);
    expect(dups('[[1,2],[{"x":1}],[3,{"y":1,"y":2}]]')).toEqual([{ key: 'y', path: [2, 1, 'y'] }]);
  });

  it('keeps the key sets apart when an object follows a nested one at the same level', () => {
    expect(dups('{"a":{"x":1},"x":2,"b":{"x":3}}')).toEqual([]);
    expect(dups('{"a":{"x":1},"x":2,"b":{"x":3},"x":4}')).toEqual([{ key: 'x', path: ['x'] }]);
  });

  it('decodes escapes, so two spellings of one name are the same key', () => {
    expect(dups('{"a":1,"\\u0061":2}')).toEqual([{ key: 'a', path: ['a'] }]);
    expect(dups('{"a\\"b":1,"a\\u0022b":2}')).toEqual([{ key: 'a"b', path: ['a"b'] }]);
    expect(dups('{"\\\\":1,"\\u005c":2}')).toEqual([{ key: '\\', path: ['\\'] }]);
    expect(dups('{"é":1,"\\u00e9":2}')).toEqual([{ key: 'é', path: ['é'] }]);
  });

  it('is not misled by escaped quotes, backslashes, braces and commas inside strings', () => {
    expect(dups('{"a\\"b":1,"a":2}')).toEqual([]);
    expect(dups('{"a\\\\":1,"a":2}')).toEqual([]);
    expect(dups('{"a":"\\",\\"a\\":","b":"}{][,"}')).toEqual([]);
    expect(dups('{"a":"x\\\\","a":"y"}')).toEqual([{ key: 'a', path: ['a'] }]);
  });

  it('never takes a string value, or a key-like text inside one, for a key', () => {
    expect(dups('{"a":"a","b":"a"}')).toEqual([]);
    expect(dups('{"a":"{\\"b\\":1,\\"b\\":2}","b":1}')).toEqual([]);
    expect(dups('{"list":["a","a"],"a":1}')).toEqual([]);
    expect(dups('{ "a" : "b" , "b" : "a" }')).toEqual([]);
  });

  it('handles whitespace between tokens, deep nesting and the __proto__ key', () => {
    expect(dups('{\n  "a" : 1 ,\n  "a" : 2\n}')).toEqual([{ key: 'a', path: ['a'] }]);
    expect(dups(`${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}`)).toEqual([]);
    expect(dups(`${'{"a":'.repeat(1000)}{"b":1,"b":2}${'}'.repeat(1000)}`)).toEqual([{ key: 'b', path: [...Array(1000).fill('a'), 'b'] }]);
    expect(dups('{"__proto__":1,"__proto__":2}')).toEqual([{ key: '__proto__', path: ['__proto__'] }]);
    expect(dups('{"constructor":1,"toString":2,"hasOwnProperty":3}')).toEqual([]);
  });

  it('stops after the limit', () => {
    const json = `{${Array.from({ length: 50 }, () => '"k":1').join(',')}}`;
    expect(dups(json)).toHaveLength(10);
    expect(dups(json, 3)).toHaveLength(3);
  });
});
