// Parsing what crosses dsim's boundary (fault profiles, replay files, schedules) with zod schemas:
// one parser per input, shared by the CLI and the library. A value is judged by its own properties
// only: a key inherited from Object.prototype (`constructor`, `toString`) is neither a field nor a
// way around the check for unknown keys. A bad value is the user's input error: one line naming
// the field (`replay file 'x': 'limits.eventsMax' must be an integer ≥ 1`).

import { z } from "zod";
import { UsageError } from "./errors.ts";

export { z };

/** A plain object's own enumerable properties, in a fresh object; any other value as it is. */
export function ownProperties(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const own: Record<string, unknown> = {};
  for (const key of Object.keys(value)) Object.defineProperty(own, key, { value: (value as Record<string, unknown>)[key], enumerable: true, writable: true, configurable: true });
  return own;
}

/** An object schema that accepts only its own keys, judged on the value's own properties. */
export function ownObject<Shape extends z.core.$ZodLooseShape>(shape: Shape, what: string) {
  const known = Object.keys(shape).join(", ");
  return z.preprocess(
    ownProperties,
    z.strictObject(shape, {
      error: (issue) => {
        if (issue.code === "invalid_type") return `must be ${what}`;
        if (issue.code === "unrecognized_keys") return `has unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((key) => `'${key}'`).join(", ")} (known: ${known})`;
        return undefined;
      },
    }),
  );
}

/** An integer no smaller than `min` (and safe: exactly representable). */
export function integerAtLeast(min: number) {
  const message = `must be an integer ≥ ${min}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(Number.MAX_SAFE_INTEGER, { error: message });
}

/** Parses `value` with `schema`, or throws a UsageError of one line: `source: 'field' what is wrong`. */
export function parseWith<Output>(schema: z.ZodType<Output>, value: unknown, source: string): Output {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new UsageError(`${source}: ${describeIssue(parsed.error.issues[0]!)}`);
}

/** One issue as a phrase: the field first, then what is wrong with it. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("").replace(/^\./, "");
  const message = issue.message.startsWith("Invalid input") ? `is not valid (${issue.message.replace(/^Invalid input: /, "")})` : issue.message;
  return field === "" ? message : `'${field}' ${message}`;
}
