// JSON values: what crosses every boundary of dsim (payloads, notes, workloads, logical traces,
// replay files), the id of a node, and the one check of that boundary. `frozenJsonCopy` validates
// a value and makes its deep, frozen copy in one walk; `jsonProblemOf` only validates. A problem is
// reported with its path (`$.balances[2]`) and what was found there (a Set, undefined, a cycle...),
// never hashed as `{}`. Both run on the hot path (every send and note): a fast walk with no
// bookkeeping, and only when it stops, a careful walk that finds the path (and cycles).
// The lowest room of the house: it imports nothing.

export type NodeId = string;

/** A JSON-shaped value: messages, notes, states and logical traces are all of this shape. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/**
 * A type that is JSON in shape, as TypeScript writes it: interfaces and type aliases alike (an
 * interface has no index signature, so it is not assignable to `Json`). Functions, and objects
 * with methods (Map, Set, Date, class instances), map to `never`, so `T extends JsonShaped<T>`
 * rejects them; optional properties stay optional (an absent property is not a value).
 */
export type JsonShaped<T> = T extends null | boolean | number | string
  ? T
  : T extends (...args: never[]) => unknown
    ? never
    : T extends readonly (infer Item)[]
      ? readonly JsonShaped<Item>[]
      : T extends object
        ? { readonly [Key in keyof T]: Key extends string ? JsonShaped<T[Key]> : never }
        : never;

export function isJsonRecord(value: unknown): value is { readonly [key: string]: Json } {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Where a value stops being JSON: the path from its root (`$`, `$.a[2]`) and what is there. */
export class JsonProblem {
  constructor(
    readonly path: string,
    /** What was found: "a Set", "undefined", "NaN", "a cycle (back to $.a)", "an instance of Account". */
    readonly found: string,
  ) {}

  /** `path is found`, for messages. */
  describe(): string {
    return `${this.path} is ${this.found}`;
  }
}

/** Deeper than this, the fast walk hands over to the careful one (which finds cycles). */
const FAST_DEPTH_MAX = 64;

/** Thrown inside a careful walk where the value stops being JSON. */
class NotJson {
  constructor(readonly found: string) {}
}

/** Thrown by the fast walk at anything it does not pass: not JSON, or too deep. Not an Error: no stack to capture. */
const TOO_DEEP = Symbol("not JSON, or too deep for the fast walk");

/** What a primitive that is not JSON is, or undefined for a JSON primitive or an object. */
function primitiveProblem(value: unknown): string | undefined {
  switch (typeof value) {
    case "number":
      return Number.isFinite(value) ? undefined : String(value);
    case "undefined":
      return "undefined";
    case "function":
      return "a function";
    case "symbol":
      return "a symbol";
    case "bigint":
      return "a bigint";
    default:
      return undefined;
  }
}

/** Whether an object is a plain list (true), a plain record (false), or neither (what it is). */
function containerKind(object: object): boolean | string {
  const prototype = Object.getPrototypeOf(object) as object | null;
  if (prototype === Array.prototype && Array.isArray(object)) return true;
  if (prototype === Object.prototype || prototype === null) return false;
  return describeInstance(prototype);
}

/**
 * The hot path (every send and note, every π): validates and, when `copying`, copies and freezes,
 * with no path or cycle bookkeeping. A value that is not JSON, or deeper than FAST_DEPTH_MAX (a
 * cycle, perhaps), throws NotJson; the careful walk then finds where and what, once.
 */
function fastWalk(value: unknown, depth: number, copying: boolean): Json {
  if (value === null || typeof value !== "object") {
    if (primitiveProblem(value) !== undefined) throw TOO_DEEP;
    return value as Json;
  }
  if (depth > FAST_DEPTH_MAX) throw TOO_DEEP;
  const kind = containerKind(value);
  if (kind === true) {
    const items = value as readonly unknown[];
    const copy = copying ? new Array<Json>(items.length) : undefined;
    for (let index = 0; index < items.length; index++) {
      const item = fastWalk(items[index], depth + 1, copying);
      if (copy !== undefined) copy[index] = item;
    }
    return copy === undefined ? (items as Json) : Object.freeze(copy);
  }
  if (kind !== false) throw TOO_DEEP;
  const record = value as Record<string, unknown>;
  const copy: Record<string, Json> | undefined = copying ? {} : undefined;
  for (const key of Object.keys(record)) {
    const item = fastWalk(record[key], depth + 1, copying);
    if (copy === undefined) continue;
    if (key === "__proto__") Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    else copy[key] = item;
  }
  return copy === undefined ? (record as Json) : Object.freeze(copy);
}

/** The careful walk: validates only, keeping the path and the objects above, to name a problem. */
class CarefulWalk {
  readonly keys: (string | number)[] = [];
  private readonly ancestors: object[] = [];

  visit(value: unknown): void {
    if (value === null || typeof value !== "object") {
      const problem = primitiveProblem(value);
      if (problem !== undefined) throw new NotJson(problem);
      return;
    }
    const cycle = this.ancestors.indexOf(value);
    if (cycle >= 0) throw new NotJson(`a cycle (back to ${pathOf(this.keys.slice(0, cycle))})`);
    const kind = containerKind(value);
    if (typeof kind === "string") throw new NotJson(kind);
    this.ancestors.push(value);
    const keys: readonly (string | number)[] = kind ? Array.from((value as unknown[]).keys()) : Object.keys(value);
    for (const key of keys) {
      this.keys.push(key);
      this.visit((value as Record<string | number, unknown>)[key]);
      this.keys.pop();
    }
    this.ancestors.pop();
  }
}

function describeInstance(prototype: object): string {
  const name = (prototype as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof name !== "string" || name === "") return "an object with a prototype of its own";
  return ["Map", "Set", "WeakMap", "WeakSet", "Date", "RegExp", "Promise", "Error"].includes(name) || /Array$/.test(name) ? `a ${name}` : `an instance of ${name}`;
}

function pathOf(keys: readonly (string | number)[]): string {
  let path = "$";
  for (const key of keys) {
    if (typeof key === "number") path += `[${key}]`;
    else path += /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  }
  return path;
}

/** Undefined when `value` is a JSON value; else the first place where it is not. */
export function jsonProblemOf(value: unknown): JsonProblem | undefined {
  try {
    fastWalk(value, 0, false);
    return undefined;
  } catch (thrown) {
    if (thrown !== TOO_DEEP) throw thrown;
  }
  return carefulProblemOf(value);
}

function carefulProblemOf(value: unknown): JsonProblem | undefined {
  const walk = new CarefulWalk();
  try {
    walk.visit(value);
    return undefined;
  } catch (thrown) {
    if (!(thrown instanceof NotJson)) throw thrown;
    return new JsonProblem(pathOf(walk.keys), thrown.found);
  }
}

/**
 * A deep, frozen copy of a JSON value (nothing holding the original can change it, and nothing
 * holding the copy can change it either), or the first place where the value is not JSON.
 */
export function frozenJsonCopy(value: unknown): Json | JsonProblem {
  if (value === null || typeof value !== "object") {
    const found = primitiveProblem(value);
    return found === undefined ? (value as Json) : new JsonProblem("$", found);
  }
  try {
    return fastWalk(value, 0, true);
  } catch (thrown) {
    if (thrown !== TOO_DEEP) throw thrown;
  }
  // Not JSON, or deep: the careful walk says which; deep but sound JSON is copied without the limit.
  return carefulProblemOf(value) ?? deepFrozenCopy(value);
}

function deepFrozenCopy(value: unknown): Json {
  const freeze = (item: Json): Json => {
    if (item !== null && typeof item === "object") {
      for (const inner of Object.values(item)) freeze(inner);
      Object.freeze(item);
    }
    return item;
  };
  return freeze(JSON.parse(JSON.stringify(value)) as Json);
}
