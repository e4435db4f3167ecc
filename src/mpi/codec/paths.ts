// Paths into a value, for EncodeError messages.
//
// Notation (starting from the root name, 'value' unless EncodeOptions.root):
//   .name / ["odd key"]   property of an object, class instance or Error
//                         (`.cause`, `.errors[0]` for Errors)
//   [3]                   array element
//   <Set>[3]              the 4th member of a Set, in insertion order
//   <Map>[3].key          the key of the 4th entry of a Map
//   <Map>.get("k")        the value stored under a primitive key (string keys
//                         JSON-quoted; numbers, booleans, null, undefined,
//                         bigints as in source code)
//   <Map>[3].value        the value of the 4th entry when its key is an object
// e.g. `args[1].onDone`, `value.handlers<Map>.get("close")`, `value.s<Set>[0].f`.

export const SEG_PROP = 0;
export const SEG_INDEX = 1;
export const SEG_MAP_KEY = 2;
export const SEG_MAP_VALUE = 3;
export const SEG_SET_ITEM = 4;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function propSegment(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function primitiveKey(key: unknown): string | undefined {
  switch (typeof key) {
    case 'string':
      return JSON.stringify(key);
    case 'number':
      return Object.is(key, -0) ? '-0' : String(key);
    case 'boolean':
    case 'undefined':
      return String(key);
    case 'bigint':
      return `${key}n`;
    default:
      return key === null ? 'null' : undefined;
  }
}

/** One segment, rendered: `type` is a SEG_* code, `key` the property name or Map key, `index` the position. */
export function segment(type: number, key: unknown, index: number): string {
  switch (type) {
    case SEG_PROP:
      return propSegment(key as string);
    case SEG_INDEX:
      return `[${index}]`;
    case SEG_MAP_KEY:
      return `<Map>[${index}].key`;
    case SEG_MAP_VALUE: {
      const k = primitiveKey(key);
      return k === undefined ? `<Map>[${index}].value` : `<Map>.get(${k})`;
    }
    default:
      return `<Set>[${index}]`;
  }
}
