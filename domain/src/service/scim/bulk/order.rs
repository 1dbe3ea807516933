//! The order a bulk job runs in (RFC 7644 §3.7.2): request order, except that an operation
//! waits for the POSTs whose `bulkId` it references. Operations on a reference cycle cannot
//! run; they fail as circular, after which the operations waiting on them run (and fail).

use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Run operation `i`: everything it references has run.
    Run(usize),
    /// These operations (ascending) reference each other in a cycle: none can run.
    Circular(Vec<usize>),
}

/// `deps[i]`: the operations `i` waits for (may include `i` itself). Every operation appears
/// in exactly one step. Ready operations run lowest index first, so operations without
/// references keep their relative order.
pub(super) fn plan(deps: &[Vec<usize>]) -> Vec<Step> {
    let n = deps.len();
    let mut dependents = vec![Vec::new(); n];
    let mut waiting = vec![0usize; n];
    for (op, ds) in deps.iter().enumerate() {
        let mut ds = ds.clone();
        ds.sort_unstable();
        ds.dedup();
        waiting[op] = ds.len();
        for d in ds {
            dependents[d].push(op);
        }
    }
    let mut ready: BTreeSet<usize> = (0..n).filter(|&op| waiting[op] == 0).collect();
    let mut done = vec![false; n];
    let mut steps = Vec::with_capacity(n);
    // Call with `done[op]` already set.
    let mut finish = |op: usize, done: &[bool], ready: &mut BTreeSet<usize>| {
        for &dependent in &dependents[op] {
            waiting[dependent] -= 1;
            if waiting[dependent] == 0 && !done[dependent] {
                ready.insert(dependent);
            }
        }
    };
    let mut finished = 0;
    while finished < n {
        if let Some(op) = ready.pop_first() {
            steps.push(Step::Run(op));
            done[op] = true;
            finish(op, &done, &mut ready);
            finished += 1;
            continue;
        }
        // Stuck: every remaining operation waits, so some of them form cycles.
        let pending: Vec<bool> = done.iter().map(|d| !d).collect();
        let mut found = cycles(deps, &pending);
        if found.is_empty() {
            // Unreachable (waiting operations always contain a cycle); never loop forever.
            found.push((0..n).filter(|&op| pending[op]).collect());
        }
        for cycle in found {
            for &op in &cycle {
                done[op] = true;
            }
            for &op in &cycle {
                finish(op, &done, &mut ready);
            }
            finished += cycle.len();
            steps.push(Step::Circular(cycle));
        }
    }
    steps
}

/// The strongly connected components among `alive` operations that contain a cycle (more
/// than one member, or one that waits for itself). Tarjan's algorithm without recursion, so
/// a long reference chain cannot overflow the stack.
fn cycles(deps: &[Vec<usize>], alive: &[bool]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = deps.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut out = Vec::new();
    for root in (0..n).filter(|&op| alive[op]) {
        if index[root] != UNSEEN {
            continue;
        }
        let mut calls = vec![(root, 0usize)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(v, edge)) = calls.last() {
            if let Some(&w) = deps[v].get(edge) {
                if let Some(top) = calls.last_mut() {
                    top.1 += 1;
                }
                if !alive[w] {
                    continue;
                }
                if index[w] == UNSEEN {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 || deps[v].contains(&v) {
                    component.sort_unstable();
                    out.push(component);
                }
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(steps: &[Step]) -> Vec<usize> {
        steps
            .iter()
            .filter_map(|s| match s {
                Step::Run(op) => Some(*op),
                Step::Circular(_) => None,
            })
            .collect()
    }

    #[test]
    fn without_references_the_request_order_is_kept() {
        assert_eq!(runs(&plan(&[vec![], vec![], vec![]])), vec![0, 1, 2]);
    }

    #[test]
    fn a_forward_reference_runs_right_after_what_it_needs() {
        // 0 needs 2 and 3; 1 needs nothing.
        let steps = plan(&[vec![2, 3], vec![], vec![], vec![], vec![]]);
        assert_eq!(runs(&steps), vec![1, 2, 3, 0, 4]);
    }

    #[test]
    fn a_cycle_fails_its_members_and_then_releases_who_waits_on_it() {
        // 1 and 2 reference each other; 3 references 1; 0 is independent.
        let steps = plan(&[vec![], vec![2], vec![1], vec![1]]);
        assert_eq!(
            steps,
            vec![Step::Run(0), Step::Circular(vec![1, 2]), Step::Run(3),]
        );
    }

    #[test]
    fn a_self_reference_is_a_cycle() {
        let steps = plan(&[vec![0]]);
        assert_eq!(steps, vec![Step::Circular(vec![0])]);
    }

    #[test]
    fn long_chains_and_cycles_need_no_deep_recursion() {
        let n = 50_000;
        let chain: Vec<Vec<usize>> = (0..n)
            .map(|i| if i + 1 < n { vec![i + 1] } else { vec![] })
            .collect();
        assert_eq!(runs(&plan(&chain)), (0..n).rev().collect::<Vec<_>>());
        let ring: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        assert_eq!(plan(&ring), vec![Step::Circular((0..n).collect())]);
    }
}
