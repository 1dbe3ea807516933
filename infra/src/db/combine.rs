//! What the write combiners share: taking a batch off their queue, and splitting it by tenant
//! (a transaction writes one tenant's rows, so its counters and event numbers stay its own).

use std::collections::HashMap;

use tokio::sync::{Mutex, mpsc};
use uuid::Uuid;

/// Waits for one item, then takes whatever else is queued already, up to `max` in all;
/// `None` once the queue is closed and empty. Workers share the receiver, so a worker waiting
/// for its next batch holds the lock and the others wait for theirs behind it.
pub async fn next_batch<T>(receiver: &Mutex<mpsc::Receiver<T>>, max: usize) -> Option<Vec<T>> {
    let mut receiver = receiver.lock().await;
    let first = receiver.recv().await?;
    let mut batch = vec![first];
    while batch.len() < max {
        match receiver.try_recv() {
            Ok(next) => batch.push(next),
            Err(_) => break,
        }
    }
    Some(batch)
}

/// `batch` split per tenant, the tenants and each part in arrival order.
pub fn by_tenant<T>(batch: Vec<T>, tenant_of: impl Fn(&T) -> Uuid) -> Vec<(Uuid, Vec<T>)> {
    let mut parts: Vec<(Uuid, Vec<T>)> = Vec::new();
    let mut index: HashMap<Uuid, usize> = HashMap::new();
    for item in batch {
        let tenant = tenant_of(&item);
        let at = *index.entry(tenant).or_insert_with(|| {
            parts.push((tenant, Vec::new()));
            parts.len() - 1
        });
        parts[at].1.push(item);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_keep_the_order_of_arrival_per_tenant() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let parts = by_tenant(vec![(a, 1), (b, 2), (a, 3), (b, 4), (a, 5)], |i| i.0);
        let numbers: Vec<(Uuid, Vec<i32>)> = parts
            .into_iter()
            .map(|(t, items)| (t, items.into_iter().map(|i| i.1).collect()))
            .collect();
        assert_eq!(numbers, vec![(a, vec![1, 3, 5]), (b, vec![2, 4])]);
    }

    #[tokio::test]
    async fn a_batch_takes_what_is_queued_up_to_its_size_and_ends_with_the_queue() {
        let (send, receive) = mpsc::channel(16);
        for n in 0..5 {
            send.send(n).await.unwrap();
        }
        drop(send);
        let receiver = Mutex::new(receive);
        assert_eq!(next_batch(&receiver, 3).await, Some(vec![0, 1, 2]));
        assert_eq!(next_batch(&receiver, 3).await, Some(vec![3, 4]));
        assert_eq!(next_batch(&receiver, 3).await, None);
    }
}
