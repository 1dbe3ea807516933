use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::future::join_all;

use super::*;

const CREDENTIAL: Credential = [1; 32];
const RIGHT: Attempt = [2; 32];

/// A stand-in for argon2 that counts its runs and takes a while, so concurrent callers overlap.
struct Runs(AtomicUsize);

impl Runs {
    fn new() -> Self {
        Self(AtomicUsize::new(0))
    }

    async fn run(&self, matched: bool) -> DomainResult<bool> {
        self.0.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(50)).await;
        Ok(matched)
    }

    fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

fn wrong(n: u8) -> Attempt {
    let mut attempt = [0; 32];
    attempt[0] = n;
    attempt[31] = 0xff;
    attempt
}

#[tokio::test]
async fn concurrent_identical_verifications_share_one_run() {
    let gate = VerifyGate::default();
    let runs = Runs::new();

    let outcomes = join_all((0..32).map(|_| gate.verify(CREDENTIAL, RIGHT, runs.run(true)))).await;

    assert!(outcomes.iter().all(|o| matches!(o, Ok(true))));
    assert_eq!(runs.count(), 1);
}

#[tokio::test]
async fn a_known_outcome_is_answered_without_a_run() {
    let gate = VerifyGate::default();
    let runs = Runs::new();
    assert!(
        !gate
            .verify(CREDENTIAL, wrong(1), runs.run(false))
            .await
            .unwrap()
    );
    assert!(
        gate.verify(CREDENTIAL, RIGHT, runs.run(true))
            .await
            .unwrap()
    );

    for _ in 0..20 {
        assert!(
            !gate
                .verify(CREDENTIAL, wrong(1), runs.run(false))
                .await
                .unwrap()
        );
        assert!(
            gate.verify(CREDENTIAL, RIGHT, runs.run(true))
                .await
                .unwrap()
        );
    }

    assert_eq!(runs.count(), 2);
}

#[tokio::test]
async fn runs_against_one_credential_never_overlap() {
    let gate = VerifyGate::default();
    let running = AtomicUsize::new(0);
    let most = AtomicUsize::new(0);
    let run = || async {
        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
        most.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(20)).await;
        running.fetch_sub(1, Ordering::SeqCst);
        Ok(false)
    };

    join_all((0..5).map(|n| gate.verify(CREDENTIAL, wrong(n), run()))).await;

    assert_eq!(most.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn failures_past_the_burst_are_paced_and_the_right_secret_still_passes() {
    let pace = FailurePace {
        burst: 3,
        refill: Duration::from_millis(200),
    };
    let gate = VerifyGate::new(pace);
    let runs = Runs::new();
    let started = Instant::now();

    // Six different wrong secrets, then the right one, all at once.
    let wrongs = join_all((0..6).map(|n| gate.verify(CREDENTIAL, wrong(n), runs.run(false))));
    let (wrongs, right) = tokio::join!(wrongs, async {
        tokio::time::sleep(Duration::from_millis(10)).await;
        gate.verify(CREDENTIAL, RIGHT, runs.run(true)).await
    });

    assert!(wrongs.iter().all(|o| matches!(o, Ok(false))));
    assert!(right.unwrap(), "the right secret was turned away");
    assert_eq!(runs.count(), 7);
    // Three failures ran at once; each of the other three waited for a refill.
    let elapsed = started.elapsed();
    assert!(elapsed >= pace.refill * 3, "{elapsed:?}");
}

#[tokio::test]
async fn other_credentials_are_not_held_up_by_a_paced_one() {
    let pace = FailurePace {
        burst: 1,
        refill: Duration::from_secs(30),
    };
    let gate = VerifyGate::new(pace);
    let runs = Runs::new();
    assert!(
        !gate
            .verify(CREDENTIAL, wrong(1), runs.run(false))
            .await
            .unwrap()
    );
    let paced = gate.verify(CREDENTIAL, wrong(2), runs.run(false));
    let other = tokio::time::timeout(
        Duration::from_secs(5),
        gate.verify([9; 32], RIGHT, runs.run(true)),
    );

    // Biased: the paced failure takes its credential's lane first, then sleeps in it.
    let other = tokio::select! {
        biased;
        _ = paced => panic!("the paced failure ran before its refill"),
        other = other => other,
    };

    assert!(other.expect("another credential waited").unwrap());
}

#[tokio::test]
async fn a_failed_run_is_not_remembered_and_a_retry_runs_again() {
    let gate = VerifyGate::default();
    let runs = Runs::new();
    let failed = gate
        .verify(CREDENTIAL, RIGHT, async {
            runs.0.fetch_add(1, Ordering::SeqCst);
            Err(DomainError::Unauthenticated("blocking pool gone".into()))
        })
        .await;

    let retried = gate.verify(CREDENTIAL, RIGHT, runs.run(true)).await;

    assert!(matches!(failed, Err(DomainError::Unavailable(_))));
    assert!(retried.unwrap());
    assert_eq!(runs.count(), 2);
}
