//! A working day at network scale, compressed: every kiosk polls its feed every `poll_every` and
//! pushes an issue every `push_every`, each on its own schedule (a random phase, so the fleet does
//! not beat in step), then pulls back what changed, as the kiosk's sync pass does after a counter
//! action. Open loop: a slow server does not slow the counters down, it makes pushes late, and the
//! report shows it as a push rate under the offered one.

use super::{Failure, SimKiosk};
use crate::load::percentile;
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug, Clone, Copy)]
pub struct DayPlan {
    pub duration: Duration,
    pub poll_every: Duration,
    pub push_every: Duration,
}

/// What the fleet saw.
#[derive(Debug, Default)]
pub struct DayReport {
    pub seconds: f64,
    /// Push calls answered 200.
    pub pushes: u64,
    pub ops_applied: u64,
    pub ops_rejected: u64,
    pub push_p50: Duration,
    pub push_p99: Duration,
    /// Idle polls answered 200, and how many of them brought changes (another kiosk's issue).
    pub polls: u64,
    pub polls_with_changes: u64,
    pub poll_p50: Duration,
    pub poll_p99: Duration,
    /// Pulls right after a push (the kiosk's own changes come back).
    pub pulls_after_push: u64,
    /// Calls that did not answer 200, and the first of them.
    pub failures: u64,
    pub first_failure: Option<Failure>,
    /// Pushes skipped because the kiosk had issued every order set aside for it.
    pub out_of_orders: u64,
}

impl DayReport {
    pub fn pushes_per_second(&self) -> f64 {
        self.pushes as f64 / self.seconds
    }

    pub fn ops_per_second(&self) -> f64 {
        self.ops_applied as f64 / self.seconds
    }

    pub fn polls_per_second(&self) -> f64 {
        self.polls as f64 / self.seconds
    }
}

/// One kiosk's share, merged into the report.
#[derive(Default)]
struct KioskDay {
    pushes: u64,
    ops_applied: u64,
    ops_rejected: u64,
    push_latencies: Vec<Duration>,
    polls: u64,
    polls_with_changes: u64,
    poll_latencies: Vec<Duration>,
    pulls_after_push: u64,
    failures: u64,
    first_failure: Option<Failure>,
    out_of_orders: u64,
}

impl KioskDay {
    fn failed(&mut self, failure: Failure) {
        self.failures += 1;
        self.first_failure.get_or_insert(failure);
    }
}

/// Runs the day for every kiosk at once; gives the kiosks back (their cursors and seqs moved on).
pub async fn run(kiosks: Vec<SimKiosk>, plan: DayPlan) -> (Vec<SimKiosk>, DayReport) {
    let started = Instant::now();
    let deadline = started + plan.duration;
    let tasks: Vec<_> = kiosks.into_iter().map(|k| tokio::spawn(kiosk_day(k, plan, started, deadline))).collect();
    let mut kiosks = Vec::with_capacity(tasks.len());
    let mut days = Vec::with_capacity(tasks.len());
    for task in tasks {
        let (kiosk, day) = task.await.expect("a kiosk's day does not panic");
        kiosks.push(kiosk);
        days.push(day);
    }
    let seconds = started.elapsed().as_secs_f64();
    (kiosks, merge(days, seconds))
}

async fn kiosk_day(mut kiosk: SimKiosk, plan: DayPlan, started: Instant, deadline: Instant) -> (SimKiosk, KioskDay) {
    let mut day = KioskDay::default();
    let mut next_push = started + plan.push_every.mul_f64(fastrand::f64());
    let mut next_poll = started + plan.poll_every.mul_f64(fastrand::f64());
    loop {
        let due = next_push.min(next_poll);
        if due >= deadline {
            break;
        }
        tokio::time::sleep_until(due).await;
        if next_push <= next_poll {
            next_push += plan.push_every;
            let sent = Instant::now();
            match kiosk.push_issue().await {
                Ok(Some(pushed)) => {
                    day.push_latencies.push(sent.elapsed());
                    day.pushes += 1;
                    day.ops_applied += pushed.applied as u64;
                    day.ops_rejected += pushed.rejected as u64;
                }
                Ok(None) => day.out_of_orders += 1,
                Err(failure) => day.failed(failure),
            }
            match kiosk.pull().await {
                Ok(_) => day.pulls_after_push += 1,
                Err(failure) => day.failed(failure),
            }
            // The pass was this kiosk's poll too.
            next_poll = Instant::now() + plan.poll_every;
        } else {
            next_poll += plan.poll_every;
            let sent = Instant::now();
            match kiosk.pull().await {
                Ok(changes) => {
                    day.poll_latencies.push(sent.elapsed());
                    day.polls += 1;
                    day.polls_with_changes += u64::from(changes > 0);
                }
                Err(failure) => day.failed(failure),
            }
        }
    }
    (kiosk, day)
}

fn merge(days: Vec<KioskDay>, seconds: f64) -> DayReport {
    let mut report = DayReport { seconds, ..DayReport::default() };
    let mut push_latencies = Vec::new();
    let mut poll_latencies = Vec::new();
    for mut day in days {
        report.pushes += day.pushes;
        report.ops_applied += day.ops_applied;
        report.ops_rejected += day.ops_rejected;
        report.polls += day.polls;
        report.polls_with_changes += day.polls_with_changes;
        report.pulls_after_push += day.pulls_after_push;
        report.failures += day.failures;
        report.out_of_orders += day.out_of_orders;
        if report.first_failure.is_none() {
            report.first_failure = day.first_failure.take();
        }
        push_latencies.append(&mut day.push_latencies);
        poll_latencies.append(&mut day.poll_latencies);
    }
    push_latencies.sort_unstable();
    poll_latencies.sort_unstable();
    report.push_p50 = percentile(&push_latencies, 0.50);
    report.push_p99 = percentile(&push_latencies, 0.99);
    report.poll_p50 = percentile(&poll_latencies, 0.50);
    report.poll_p99 = percentile(&poll_latencies, 0.99);
    report
}
