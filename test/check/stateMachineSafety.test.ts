// The replicated-log checkers on hand-built records, one failing input per branch: two replicas
// applying different commands at one index (reported once per index), an index committed twice
// with different terms, a later leader that lacks a committed entry (no entry, or one of another
// term), and two leaders of one term. Each message is written out by hand from the records.

import { describe, expect, test } from "vitest";
import { findConflictingApplies, findDoubleLeaders, findLostCommits, type LogHistoryRecord } from "../../src/check/stateMachineSafety.ts";

const commit = (node: string, index: number, term: number, leaderTerm: number): LogHistoryRecord => ({ kind: "commit", node, index, term, leaderTerm });
const leader = (node: string, term: number, logTerms: readonly number[]): LogHistoryRecord => ({ kind: "leader", node, term, logTerms });

describe("state machine safety", () => {
  test("the same command at one index on every replica is safe", () => {
    expect(findConflictingApplies([
      { node: "n1", index: 1, command: "a" }, { node: "n2", index: 1, command: "a" },
      { node: "n1", index: 2, command: "b" }, { node: "n3", index: 2, command: "b" },
    ])).toEqual([]);
  });

  test("different commands at one index: one message per index, naming the first replica and the first that differs", () => {
    const applied = [
      { node: "n1", index: 1, command: "a" },
      { node: "n2", index: 2, command: "x" },
      { node: "n2", index: 1, command: "b" },
      { node: "n3", index: 1, command: "c" },
      { node: "n3", index: 2, command: "y" },
    ];
    expect(findConflictingApplies(applied)).toEqual([
      "index 1: n1 applied 'a' but n2 applied 'b'",
      "index 2: n2 applied 'x' but n3 applied 'y'",
    ]);
  });

  test("a replica that agrees with the first after another disagreed adds nothing", () => {
    expect(findConflictingApplies([
      { node: "n1", index: 4, command: "a" }, { node: "n2", index: 4, command: "a" }, { node: "n3", index: 4, command: "b" },
    ])).toEqual(["index 4: n1 applied 'a' but n3 applied 'b'"]);
  });
});

describe("leader completeness", () => {
  test("an index committed twice with different terms is reported, whatever leaders follow", () => {
    expect(findLostCommits([commit("n1", 3, 1, 1), commit("n2", 3, 2, 2)])).toEqual([
      "index 3 was committed with term 1 by n1 and again with term 2 by n2",
    ]);
    // The same entry committed again (a new leader committing it with its own term's entries) is not.
    expect(findLostCommits([commit("n1", 3, 1, 1), commit("n2", 3, 1, 2)])).toEqual([]);
  });

  test("a later leader without the committed entry, or with another term's entry there", () => {
    const committed = commit("n1", 2, 1, 1);
    expect(findLostCommits([committed, leader("n2", 2, [1, 1])])).toEqual([]);
    expect(findLostCommits([committed, leader("n2", 2, [1])])).toEqual([
      "n2 became leader of term 2 with no entry at index 2, committed with term 1 by n1 in term 1",
    ]);
    expect(findLostCommits([committed, leader("n3", 3, [1, 2])])).toEqual([
      "n3 became leader of term 3 with an entry of term 2 at index 2, committed with term 1 by n1 in term 1",
    ]);
  });

  test("a leader of the commit's own term or an earlier one is no evidence: only later terms must hold it", () => {
    const committed = commit("n1", 2, 1, 3);
    expect(findLostCommits([committed, leader("n2", 3, []), leader("n3", 2, [])])).toEqual([]);
    expect(findLostCommits([committed, leader("n2", 4, [])])).toHaveLength(1);
  });

  test("a leader elected before the commit is not judged by it: records are read in order", () => {
    expect(findLostCommits([leader("n2", 2, []), commit("n1", 1, 1, 1)])).toEqual([]);
  });

  test("every lost index is reported, lowest first, one message per (commit, leader)", () => {
    const history = [commit("n1", 2, 1, 1), commit("n1", 1, 1, 1), leader("n2", 2, []), leader("n3", 3, [1])];
    expect(findLostCommits(history)).toEqual([
      "n2 became leader of term 2 with no entry at index 1, committed with term 1 by n1 in term 1",
      "n2 became leader of term 2 with no entry at index 2, committed with term 1 by n1 in term 1",
      "n3 became leader of term 3 with no entry at index 2, committed with term 1 by n1 in term 1",
    ]);
  });

  test("the commit of the newest leader term is the one later leaders are judged by", () => {
    // Index 1 committed in term 1 with term 1, then (a double commit) in term 2 with term 2: a leader
    // of term 3 holding the term-2 entry lacks nothing the term-2 leader committed.
    const history = [commit("n1", 1, 1, 1), commit("n2", 1, 2, 2), leader("n3", 3, [2])];
    expect(findLostCommits(history)).toEqual(["index 1 was committed with term 1 by n1 and again with term 2 by n2"]);
    // An older leader term's commit noted later does not replace it.
    const late = [commit("n2", 1, 2, 2), commit("n1", 1, 1, 1), leader("n3", 3, [2])];
    expect(findLostCommits(late)).toEqual(["index 1 was committed with term 2 by n2 and again with term 1 by n1"]);
  });

  test("of two commits of one index in the same leader term, the first is the one a lost entry is blamed on", () => {
    // n1 and n2 both note index 1 (term 1) committed in leader term 2; a leader of term 3 without it lost n1's commit.
    const history = [commit("n1", 1, 1, 2), commit("n2", 1, 1, 2), leader("n3", 3, [])];
    expect(findLostCommits(history)).toEqual(["n3 became leader of term 3 with no entry at index 1, committed with term 1 by n1 in term 2"]);
  });
});

describe("election safety", () => {
  test("one leader per term, the same node elected again in its term included", () => {
    expect(findDoubleLeaders([leader("n1", 1, []), leader("n2", 2, []), leader("n1", 1, []), commit("n2", 1, 2, 2)])).toEqual([]);
  });

  test("a commit record is not an election, even one of the term's number by another node", () => {
    expect(findDoubleLeaders([leader("n1", 2, []), commit("n2", 1, 2, 2), commit("n3", 1, 5, 5)])).toEqual([]);
  });

  test("two nodes leading one term: one message per second leader", () => {
    expect(findDoubleLeaders([leader("n1", 1, []), leader("n2", 1, []), leader("n3", 1, []), leader("n3", 2, [])])).toEqual([
      "n1 and n2 both became leader of term 1",
      "n1 and n3 both became leader of term 1",
    ]);
  });
});
