//! What one replica holds of the delivery queue: deliveries it leased and has not started yet
//! (`ready`), and deliveries in flight, per endpoint. Leasing ahead of the free slots takes the
//! database's round trips off the path from one delivery's end to the next one's start: a
//! finished delivery is followed at once from `ready`, while the next lease runs beside it.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use uuid::Uuid;

/// Deliveries in flight to one endpoint at most, so a hanging receiver slows only itself.
pub const PER_ENDPOINT: usize = 16;

/// Generic over what a delivery is, so its rules are tested without a database.
pub struct Pipeline<T> {
    ready: HashMap<Uuid, VecDeque<(Instant, T)>>,
    in_flight: HashMap<Uuid, usize>,
}

impl<T> Default for Pipeline<T> {
    fn default() -> Self {
        Self {
            ready: HashMap::new(),
            in_flight: HashMap::new(),
        }
    }
}

impl<T> Pipeline<T> {
    /// Leased deliveries, each with its endpoint, join the back of their endpoint's line.
    pub fn lease(&mut self, leased: impl IntoIterator<Item = (Uuid, T)>, now: Instant) {
        for (endpoint, due) in leased {
            self.ready
                .entry(endpoint)
                .or_default()
                .push_back((now, due));
        }
    }

    /// Deliveries to start now, at most `free`, taken one endpoint at a time in turn so a
    /// long line does not starve a short one. One waiting longer than `stale` is dropped: its
    /// lease may be running out, and the row is leased again (by any replica) once it has.
    pub fn start(&mut self, mut free: usize, now: Instant, stale: Duration) -> Vec<T> {
        let mut started = Vec::new();
        let mut progress = true;
        while free > 0 && progress {
            progress = false;
            for (endpoint, line) in &mut self.ready {
                if free == 0 {
                    break;
                }
                let flying = self.in_flight.entry(*endpoint).or_default();
                if *flying >= PER_ENDPOINT {
                    continue;
                }
                while line
                    .front()
                    .is_some_and(|(leased_at, _)| now.duration_since(*leased_at) > stale)
                {
                    line.pop_front();
                }
                if let Some((_, due)) = line.pop_front() {
                    *flying += 1;
                    free -= 1;
                    progress = true;
                    started.push(due);
                }
            }
        }
        self.ready.retain(|_, line| !line.is_empty());
        self.in_flight.retain(|_, n| *n > 0);
        started
    }

    /// One delivery to `endpoint` ended.
    pub fn finished(&mut self, endpoint: Uuid) {
        if let Some(n) = self.in_flight.get_mut(&endpoint) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.in_flight.remove(&endpoint);
            }
        }
    }

    /// Deliveries held, leased or in flight.
    pub fn held(&self) -> usize {
        self.ready.values().map(VecDeque::len).sum::<usize>()
            + self.in_flight.values().sum::<usize>()
    }

    /// Endpoints with a full line already (two rounds of sends): the next lease skips them.
    /// A line shorter than that is topped up while it still lasts as long as a lease takes.
    pub fn lined_up(&self) -> Vec<Uuid> {
        self.ready
            .iter()
            .filter(|(_, line)| line.len() >= 2 * PER_ENDPOINT)
            .map(|(endpoint, _)| *endpoint)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STALE: Duration = Duration::from_secs(60);

    fn endpoints() -> (Uuid, Uuid) {
        (Uuid::now_v7(), Uuid::now_v7())
    }

    #[test]
    fn an_endpoint_gets_no_more_than_its_share_in_flight_until_one_ends() {
        let (a, _) = endpoints();
        let now = Instant::now();
        let mut pipeline = Pipeline::default();
        pipeline.lease((0..PER_ENDPOINT + 3).map(|n| (a, n)), now);

        let first = pipeline.start(100, now, STALE);
        assert_eq!(first, (0..PER_ENDPOINT).collect::<Vec<_>>());
        assert!(pipeline.start(100, now, STALE).is_empty());

        pipeline.finished(a);
        assert_eq!(pipeline.start(100, now, STALE), vec![PER_ENDPOINT]);
        assert_eq!(pipeline.held(), PER_ENDPOINT + 2);
    }

    #[test]
    fn free_slots_are_shared_in_turn_between_endpoints() {
        let (a, b) = endpoints();
        let now = Instant::now();
        let mut pipeline = Pipeline::default();
        pipeline.lease((0..10).map(|n| (a, ('a', n))), now);
        pipeline.lease((0..2).map(|n| (b, ('b', n))), now);

        let started = pipeline.start(4, now, STALE);
        assert_eq!(started.len(), 4);
        assert_eq!(started.iter().filter(|(e, _)| *e == 'b').count(), 2);
        // Each line in its own order.
        let of_a: Vec<_> = started.iter().filter(|(e, _)| *e == 'a').collect();
        assert_eq!(of_a, vec![&('a', 0), &('a', 1)]);
    }

    #[test]
    fn a_delivery_waiting_past_the_stale_bound_is_dropped_not_sent() {
        let (a, _) = endpoints();
        let then = Instant::now();
        let mut pipeline = Pipeline::default();
        pipeline.lease([(a, "old")], then);
        pipeline.lease([(a, "new")], then + STALE);

        let started = pipeline.start(10, then + STALE + Duration::from_secs(1), STALE);
        assert_eq!(started, vec!["new"]);
        assert_eq!(pipeline.held(), 1);
    }

    #[test]
    fn a_full_line_keeps_its_endpoint_out_of_the_next_lease() {
        let (a, b) = endpoints();
        let now = Instant::now();
        let mut pipeline = Pipeline::default();
        pipeline.lease((0..2 * PER_ENDPOINT).map(|n| (a, n)), now);
        pipeline.lease([(b, 0)], now);
        assert_eq!(pipeline.lined_up(), vec![a]);

        pipeline.start(2, now, STALE);
        assert!(pipeline.lined_up().is_empty());
    }
}
