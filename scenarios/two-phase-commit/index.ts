// Scenario `two-phase-commit`: a coordinator commits a few transactions across participants.
//
// Protocol: for each transaction in turn, the coordinator asks every participant to prepare; each
// votes yes (logging the promise first) or no (aborting at once). All yes: the coordinator commits;
// a no, or votes missing after a timeout: it aborts. It logs the decision before telling anyone,
// then resends it until every participant acknowledges; a participant that voted yes waits for it.
//
// Logical trace π: per transaction, the outcome the coordinator and each participant recorded.
// It is not one value: a correct coordinator aborts a transaction whose votes are lost or late, so
// faults may turn a commit into an abort. The scenario declares the admissible outcomes instead
// (`admissible`): every node records one outcome per transaction, commit only if every participant
// votes yes in the workload. Invariants: atomicity (no transaction both committed and aborted),
// validity (commit only after every participant's yes vote), termination (after heal, every node
// knows every outcome).
//
// Why `abort-on-timeout` is always admissible: a participant records an outcome only when it votes
// no (and then the coordinator cannot commit) or when it hears the coordinator's decision; the
// coordinator decides once per transaction, logged before it is sent, so a crash cannot change it,
// and re-runs the vote of an undecided transaction after a restart; resends after heal reach every
// participant. Variants:
//   abort-on-timeout   correct                                                       (holds)
//   commit-on-timeout  the coordinator treats missing votes as yes: a participant
//                      that votes no, or never voted, is committed over             (diverges)
//   abort-after-yes    a participant that voted yes gives up after PATIENCE_MS and
//                      aborts on its own, while the coordinator commits             (diverges)

import { defineScenario } from "../../src/index.ts";
import { admissible, invariants, project } from "./checks.ts";
import { coordinator, type OnVoteTimeout } from "./coordinator.ts";
import { drawWorkload, type Workload } from "./model.ts";
import { participant, type GivesUp } from "./participant.ts";

interface Shape {
  readonly onVoteTimeout: OnVoteTimeout;
  readonly participantsGiveUp: GivesUp;
}

const SHAPES: Record<string, Shape> = {
  "abort-on-timeout": { onVoteTimeout: "abort", participantsGiveUp: false },
  "commit-on-timeout": { onVoteTimeout: "commit", participantsGiveUp: false },
  "abort-after-yes": { onVoteTimeout: "abort", participantsGiveUp: true },
};

export default defineScenario<Workload>({
  name: "two-phase-commit",
  description: "A coordinator commits transactions across participants; it aborts when votes do not arrive in time.",
  variants: [
    { name: "abort-on-timeout", expect: "holds", description: "Commit on every yes, abort on a no or a vote timeout; decisions logged, then resent until acknowledged." },
    { name: "commit-on-timeout", expect: "diverges", description: "On a vote timeout the coordinator commits: missing votes count as yes.", seedBudget: 500 },
    { name: "abort-after-yes", expect: "diverges", description: "A participant that voted yes aborts on its own when the decision is slow.", seedBudget: 500 },
  ],
  sizes: {
    transactions: { default: 4, min: 1, max: 6, description: "how many transactions the coordinator runs, one after another" },
    participants: { default: 3, min: 2, max: 5, description: "how many participants vote on each transaction" },
  },
  workload: drawWorkload,
  nodes: ({ variant, workload }) => {
    const shape = SHAPES[variant]!;
    const participants = workload.participants.map((name) => [name, participant(workload, shape.participantsGiveUp)] as const);
    return { coordinator: coordinator(workload, shape.onVoteTimeout), ...Object.fromEntries(participants) };
  },
  project,
  admissible,
  invariants,
});
