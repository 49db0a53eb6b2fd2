// A type-level test, checked by `tsc --noEmit` (npm test runs it before vitest): a workload declared
// as an interface or a type alias compiles; one holding a function, a Map, a Set, a Date or a class
// instance does not (each `@ts-expect-error` fails the type check if the line compiles).

import { defineNode, defineScenario, type Json } from "../../src/index.ts";

const VARIANTS = [{ name: "v", expect: "holds" as const, description: "" }];
const NODES = () => ({ a: defineNode({ init: () => ({}) }) });

interface Transfer {
  readonly from: string;
  readonly to: string;
  readonly amountCents: number;
  readonly memo?: string;
}

interface BankWorkload {
  readonly transfers: readonly Transfer[];
  readonly balances: number[];
  readonly audit: { readonly enabled: boolean; readonly label: string | null };
}

type AliasWorkload = { ids: number[]; name: string };

export const withInterface = defineScenario<BankWorkload>({
  name: "interface", description: "", variants: VARIANTS, nodes: NODES,
  workload: (random) => ({ transfers: [{ from: "a", to: "b", amountCents: random.below(100) }], balances: [1, 2], audit: { enabled: true, label: null } }),
  project: (view) => view.workload.balances,
});

export const withAlias = defineScenario({
  name: "alias", description: "", variants: VARIANTS, nodes: NODES,
  workload: (): AliasWorkload => ({ ids: [1], name: "x" }),
  project: (view) => view.workload.ids,
});

export const withJson = defineScenario({ name: "json", description: "", variants: VARIANTS, nodes: NODES, workload: (): Json => null, project: () => null });

export const inferred = defineScenario({
  name: "inferred", description: "", variants: VARIANTS, nodes: NODES,
  workload: (random) => ({ ids: [random.below(10)] }),
  project: (view) => view.workload.ids,
});

class Account {
  balanceCents = 0;
  deposit(amountCents: number): void {
    this.balanceCents += amountCents;
  }
}

// @ts-expect-error a workload holding a function is not JSON
export const withFunction = defineScenario({ name: "f", description: "", variants: VARIANTS, nodes: NODES, workload: () => ({ pick: () => 1 }), project: () => null });

// @ts-expect-error a Map is not JSON
export const withMap = defineScenario({ name: "m", description: "", variants: VARIANTS, nodes: NODES, workload: () => ({ byId: new Map<string, number>() }), project: () => null });

// @ts-expect-error a Set is not JSON
export const withSet = defineScenario({ name: "s", description: "", variants: VARIANTS, nodes: NODES, workload: () => new Set<number>(), project: () => null });

// @ts-expect-error a Date is not JSON
export const withDate = defineScenario({ name: "d", description: "", variants: VARIANTS, nodes: NODES, workload: () => ({ at: new Date(0) }), project: () => null });

// @ts-expect-error a class instance with methods is not JSON
export const withInstance = defineScenario({ name: "c", description: "", variants: VARIANTS, nodes: NODES, workload: () => [new Account()], project: () => null });
