// Tags of the binary body (format BINARY, wire-format.ts): one byte before
// each value. Shared by binary-encode.ts and binary-decode.ts.

export const TAG_UNDEFINED = 0;
export const TAG_NULL = 1;
export const TAG_FALSE = 2;
export const TAG_TRUE = 3;
/** int32, 4 bytes. */
export const TAG_INT32 = 4;
/** float64, 8 bytes (NaN, +-Infinity and -0 included). */
export const TAG_FLOAT64 = 5;
/** uint32 length L, then L bytes, each below 0x80. */
export const TAG_ASCII = 6;
/** uint32 byte length L, then L bytes of well-formed UTF-8. */
export const TAG_UTF8 = 7;
/** uint32 length n, then n elements (a hole of a sparse array is undefined, as on the general path). */
export const TAG_ARRAY = 8;
/** uint32 count n, then n times: key (uint32 byte length + UTF-8), value. */
export const TAG_OBJECT = 9;
/** uint32 length L, then L ASCII bytes of the decimal text (leading '-' allowed). */
export const TAG_BIGINT = 11;

/** Deepest nesting of arrays and objects the binary format carries (the decoder refuses deeper). */
export const BINARY_MAX_DEPTH = 512;
