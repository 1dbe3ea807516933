//! Deterministic, varied users: user `i` of a tenant is always the same document and id, so
//! runs are reproducible and scenarios can name a user without asking the server.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

pub const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

#[rustfmt::skip]
const GIVEN: [&str; 40] = [
    "Ada", "Alan", "Grace", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances", "Edsger",
    "Radia", "John", "Sophie", "Tim", "Hedy", "Donald", "Katherine", "Niklaus", "Shafi", "Bjarne",
    "Lynn", "Guido", "Anita", "James", "Mary", "Robert", "Adele", "Leslie", "Jean", "Fernando",
    "Joan", "Vint", "Evelyn", "Brian", "Carol", "Ivan", "Susan", "Whitfield", "Martha", "Yukihiro",
];

#[rustfmt::skip]
const FAMILY: [&str; 40] = [
    "Lovelace", "Turing", "Hopper", "Torvalds", "Liskov", "Thompson", "Hamilton", "Ritchie",
    "Allen", "Dijkstra", "Perlman", "McCarthy", "Wilson", "Berners-Lee", "Lamarr", "Knuth",
    "Johnson", "Wirth", "Goldwasser", "Stroustrup", "Conway", "van Rossum", "Borg", "Gosling",
    "Keller", "Tarjan", "Goldberg", "Lamport", "Sammet", "Corbato", "Clarke", "Cerf", "Berezin",
    "Kernighan", "Shaw", "Sutherland", "Kare", "Diffie", "Jackson", "Matsumoto",
];

const TITLES: [&str; 8] = [
    "Engineer",
    "Senior Engineer",
    "Manager",
    "Designer",
    "Analyst",
    "Sales Representative",
    "Support Specialist",
    "Director",
];

const DEPARTMENTS: [&str; 6] = [
    "Engineering",
    "Sales",
    "Marketing",
    "Support",
    "Finance",
    "Operations",
];

/// splitmix64: a fixed, well-mixed hash of the index, so values vary without a RNG state.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn pick<'a>(list: &[&'a str], seed: u64) -> &'a str {
    list[(seed % list.len() as u64) as usize]
}

/// One generated user of a tenant: its index, salt and the derived values.
#[derive(Debug, Clone)]
pub struct UserSpec {
    pub index: u64,
    pub salt: u64,
}

impl UserSpec {
    pub fn new(salt: u64, index: u64) -> Self {
        Self { index, salt }
    }

    fn hash(&self, field: u64) -> u64 {
        mix(mix(self.salt ^ field.rotate_left(48)) ^ self.index)
    }

    pub fn given_name(&self) -> &'static str {
        pick(&GIVEN, self.hash(1))
    }

    pub fn family_name(&self) -> &'static str {
        pick(&FAMILY, self.hash(2))
    }

    pub fn user_name(&self) -> String {
        format!("user{}@example.com", self.index)
    }

    pub fn external_id(&self) -> String {
        format!("00u{:016x}", self.hash(3))
    }

    pub fn work_email(&self) -> String {
        let family: String = self
            .family_name()
            .chars()
            .filter(char::is_ascii_alphabetic)
            .collect();
        format!(
            "{}.{}.{}@corp.example.com",
            self.given_name().to_lowercase(),
            family.to_lowercase(),
            self.index
        )
    }

    /// UUIDv7 whose timestamp is the creation time, so id order is index order.
    pub fn id(&self) -> Uuid {
        let random = self.hash(4).to_be_bytes();
        let more = self.hash(5).to_be_bytes();
        let mut bytes = [0u8; 10];
        bytes[..8].copy_from_slice(&random);
        bytes[8..].copy_from_slice(&more[..2]);
        uuid::Builder::from_unix_timestamp_millis(self.created_millis(), &bytes).into_uuid()
    }

    fn created_millis(&self) -> u64 {
        // 2025-01-01T00:00:00Z, then one user per millisecond.
        1_735_689_600_000 + self.index
    }

    pub fn created(&self) -> DateTime<Utc> {
        let millis = i64::try_from(self.created_millis()).unwrap_or(i64::MAX);
        Utc.timestamp_millis_opt(millis)
            .single()
            .unwrap_or_else(Utc::now)
    }

    /// The SCIM document a client would POST.
    pub fn document(&self) -> Value {
        let (given, family) = (self.given_name(), self.family_name());
        let mut emails = vec![json!({
            "value": self.work_email(), "type": "work", "primary": true,
        })];
        if self.index.is_multiple_of(3) {
            emails.push(json!({
                "value": format!("{}{}@mail.example.org", given.to_lowercase(), self.index),
                "type": "home",
            }));
        }
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
            "userName": self.user_name(),
            "externalId": self.external_id(),
            "displayName": format!("{given} {family}"),
            "name": {
                "givenName": given,
                "familyName": family,
                "formatted": format!("{given} {family}"),
            },
            "emails": emails,
            "title": pick(&TITLES, self.hash(6)),
            "active": !self.index.is_multiple_of(10),
            ENTERPRISE: {
                "employeeNumber": format!("{:07}", self.index),
                "department": pick(&DEPARTMENTS, self.hash(7)),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_index_gives_the_same_user_and_ids_follow_the_index() {
        let a = UserSpec::new(1, 42);
        assert_eq!(a.document(), UserSpec::new(1, 42).document());
        assert_eq!(a.id(), UserSpec::new(1, 42).id());
        assert!(UserSpec::new(1, 41).id() < a.id());
        assert_ne!(a.id(), UserSpec::new(2, 42).id());
    }

    #[test]
    fn names_vary_across_users() {
        let names: std::collections::HashSet<_> = (0..200)
            .map(|i| UserSpec::new(1, i).document()["displayName"].clone())
            .collect();
        assert!(names.len() > 100);
    }
}
