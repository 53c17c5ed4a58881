/** A parsed query string: a parameter given twice is an array. */
export type Query = Record<string, string | string[] | undefined>;

/** The first value of a parameter. */
export const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** Every value of a parameter (repeated parameters are meaningful: `scope`, `tag`). */
export const all = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
