// Reading a Jepsen history in EDN, one operation map per line: Jepsen's history.edn and Porcupine's
// kv histories (test_data/kv/*.txt), e.g.
//   {:process 0, :type :invoke, :f :append, :key "8", :value "x 0 0 y"}
//   {:process 0, :type :ok, :f :append, :key "8", :value "x 0 0 y"}
// Read as Jepsen's Knossos reads it: `:ok` completes the process's open operation with the value;
// `:fail` means it did not happen (it is left out); `:info` leaves it open (it may or may not have
// happened), as does the end of the history. Time is the line's position. Records of a process that
// is not a number (the nemesis) are skipped. Only the EDN these histories use is read: maps,
// vectors, lists, sets (read as vectors), keywords, strings, numbers, nil, booleans, and tags
// (`#jepsen.history.Op{...}`, `#inst "..."`: the tag is ignored, the value read).

import { UsageError } from "../core/errors.ts";
import type { Operation } from "./sequentialModel.ts";

type Edn = null | boolean | number | string | { readonly keyword: string } | readonly Edn[] | ReadonlyMap<string, Edn>;

export function parseEdnHistory(text: string, source: string): Operation<unknown, unknown>[] {
  const operations: Operation<unknown, unknown>[] = [];
  const open = new Map<number, { readonly client: string; readonly input: Record<string, unknown>; readonly callMs: number }>();
  text.split("\n").forEach((line, lineIndex) => {
    if (line.trim() === "") return;
    const where = `${source}: line ${lineIndex + 1}`;
    const record = new EdnReader(line, where).readAll();
    if (!(record instanceof Map)) throw new UsageError(`${where}: expected one {...} operation map per line`);
    const process = record.get("process");
    if (typeof process !== "number") return;
    const type = keywordOf(record.get("type"));
    const f = keywordOf(record.get("f"));
    if (f === undefined) throw new UsageError(`${where}: the operation needs :f`);
    const key = record.get("key");
    const value = plain(record.get("value") ?? null);
    if (type === "invoke") {
      if (open.has(process)) throw new UsageError(`${where}: process ${process} invokes while its previous operation is still open`);
      open.set(process, { client: String(process), input: inputOf(f, key === undefined ? undefined : plain(key), value, where), callMs: lineIndex });
      return;
    }
    if (type !== "ok" && type !== "fail" && type !== "info") throw new UsageError(`${where}: :type must be :invoke, :ok, :fail or :info`);
    const invoked = open.get(process);
    if (invoked === undefined) throw new UsageError(`${where}: process ${process} completes an operation it never invoked`);
    open.delete(process);
    if (type === "ok") operations.push({ ...invoked, output: outputOf(f, value), returnMs: lineIndex });
    else if (type === "info") operations.push(invoked);
  });
  for (const invoked of open.values()) operations.push(invoked);
  return operations.sort((a, b) => a.callMs - b.callMs);
}

function inputOf(f: string, key: unknown, value: unknown, where: string): Record<string, unknown> {
  const keyed = key === undefined ? {} : { key };
  switch (f) {
    case "read":
    case "get":
      return { op: f, ...keyed };
    case "cas":
      if (!Array.isArray(value) || value.length !== 2) throw new UsageError(`${where}: a cas needs :value [from to]`);
      return { op: "cas", ...keyed, from: value[0], to: value[1] };
    default:
      return { op: f, ...keyed, value };
  }
}

function outputOf(f: string, value: unknown): unknown {
  if (f === "read" || f === "get") return value;
  if (f === "cas") return true;
  if (f === "write" || f === "put" || f === "append") return null;
  return value;
}

function keywordOf(value: Edn | undefined): string | undefined {
  return value !== null && typeof value === "object" && "keyword" in value ? value.keyword : undefined;
}

/** EDN as plain JSON-like values: keywords become their names, maps objects. */
function plain(value: Edn): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Map) return Object.fromEntries([...value].map(([key, item]) => [key, plain(item)]));
  return (value as { keyword: string }).keyword;
}

class EdnReader {
  private position = 0;

  constructor(
    private readonly text: string,
    private readonly where: string,
  ) {}

  readAll(): Edn {
    const value = this.read();
    this.skipSpace();
    if (this.position < this.text.length) this.fail("unexpected text after the operation");
    return value;
  }

  private read(): Edn {
    this.skipSpace();
    const char = this.text[this.position];
    if (char === undefined) return this.fail("unexpected end of line");
    if (char === "{") return this.readMap();
    if (char === "[" || char === "(") return this.readSequence(char === "[" ? "]" : ")");
    if (char === '"') return this.readString();
    if (char === "#") {
      if (this.text[this.position + 1] === "{") {
        this.position++;
        return this.readSequence("}");
      }
      this.readToken();
      return this.read();
    }
    const token = this.readToken();
    if (token.startsWith(":")) return { keyword: token.slice(1) };
    if (token === "nil") return null;
    if (token === "true" || token === "false") return token === "true";
    if (/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?N?M?$/.test(token)) return Number(token.replace(/[NM]$/, ""));
    return this.fail(`cannot read '${token}'`);
  }

  private readMap(): ReadonlyMap<string, Edn> {
    this.position++;
    const map = new Map<string, Edn>();
    for (;;) {
      this.skipSpace();
      if (this.text[this.position] === "}") {
        this.position++;
        return map;
      }
      const key = this.read();
      const name = keywordOf(key) ?? (typeof key === "string" ? key : undefined);
      if (name === undefined) this.fail("map keys must be keywords or strings");
      map.set(name!, this.read());
    }
  }

  private readSequence(close: string): Edn[] {
    this.position++;
    const items: Edn[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.position] === close) {
        this.position++;
        return items;
      }
      items.push(this.read());
    }
  }

  private readString(): string {
    let result = "";
    for (this.position++; this.position < this.text.length; this.position++) {
      const char = this.text[this.position]!;
      if (char === '"') {
        this.position++;
        return result;
      }
      if (char === "\\") {
        const escaped = this.text[++this.position];
        result += escaped === "n" ? "\n" : escaped === "t" ? "\t" : escaped === "r" ? "\r" : (escaped ?? "");
      } else result += char;
    }
    return this.fail("unterminated string");
  }

  private readToken(): string {
    const start = this.position;
    while (this.position < this.text.length && !/[\s,{}[\]()"]/.test(this.text[this.position]!)) this.position++;
    if (this.position === start) this.fail(`unexpected '${this.text[this.position]}'`);
    return this.text.slice(start, this.position);
  }

  private skipSpace(): void {
    while (this.position < this.text.length && /[\s,]/.test(this.text[this.position]!)) this.position++;
  }

  private fail(message: string): never {
    throw new UsageError(`${this.where}: ${message} (column ${this.position + 1})`);
  }
}
