//! The rows a caller may see of each resource type, as one value. Besides the resources it
//! lists and reads, they bound the relations between them: a Group's `members` show only the
//! members the caller may see, a User's `groups` only such groups, the caller's filters on
//! `members`/`groups` find nothing else, and its writes to a member list keep the members it
//! cannot see. A policy's own filters are not bounded this way: they are the tenant admin's
//! and see every relation, so a resource is inside or outside the rows whoever looks.

use crate::filter::ResolvedFilter;
use crate::schema::kind::ResourceKind;

/// Row filters per resource type, resolved (claims filled in); `None` = all rows of that type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VisibleRows {
    pub users: Option<ResolvedFilter>,
    pub groups: Option<ResolvedFilter>,
}

impl VisibleRows {
    /// The rows of `kind` the caller may see; `None` when it sees them all.
    pub fn of(&self, kind: ResourceKind) -> Option<&ResolvedFilter> {
        match kind {
            ResourceKind::User => self.users.as_ref(),
            ResourceKind::Group => self.groups.as_ref(),
        }
    }

    /// Whether some related resource of a `kind` resource may be hidden from the caller: a
    /// Group's members are Users and Groups, a User's groups are Groups.
    pub fn limits_relations_of(&self, kind: ResourceKind) -> bool {
        match kind {
            ResourceKind::Group => self.users.is_some() || self.groups.is_some(),
            ResourceKind::User => self.groups.is_some(),
        }
    }

    /// Whether the caller may see every row of every type.
    pub fn is_all(&self) -> bool {
        self.users.is_none() && self.groups.is_none()
    }

    /// A canonical text of the restriction (empty when there is none): equal texts mean equal
    /// views, so it can key what was read under them.
    pub fn canonical(&self) -> String {
        if self.is_all() {
            return String::new();
        }
        let print = |f: Option<&ResolvedFilter>| f.map(ToString::to_string).unwrap_or_default();
        format!(
            "users:{}|groups:{}",
            print(self.users.as_ref()),
            print(self.groups.as_ref())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::{parse, resolve};
    use crate::schema::SchemaRegistry;

    fn users(text: &str) -> VisibleRows {
        let filter = resolve(
            parse(text).unwrap(),
            &SchemaRegistry::standard(),
            ResourceKind::User,
        )
        .unwrap();
        VisibleRows {
            users: Some(filter),
            groups: None,
        }
    }

    #[test]
    fn a_users_filter_limits_group_members_but_not_user_groups() {
        let rows = users("userName sw \"a\"");
        assert!(rows.limits_relations_of(ResourceKind::Group));
        assert!(!rows.limits_relations_of(ResourceKind::User));
        assert!(!rows.is_all());
    }

    #[test]
    fn canonical_text_tells_views_apart_and_is_empty_without_restriction() {
        assert_eq!(VisibleRows::default().canonical(), "");
        let a = users("userName sw \"a\"");
        let b = users("userName sw \"b\"");
        assert_ne!(a.canonical(), b.canonical());
        assert_eq!(a.canonical(), users("userName sw \"a\"").canonical());
    }
}
