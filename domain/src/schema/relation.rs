//! Group membership seen from either end: a group's `members` and a user's `groups`. Both
//! are computed from one membership table rather than stored in documents, so code that
//! treats them specially (filters, sorting, projection, row checks) names the relation by
//! this type instead of by attribute strings.

use super::kind::ResourceKind;

/// One direction of group membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    /// `Group.members`: the users and groups a group contains.
    Members,
    /// `User.groups`: the groups a user belongs to, directly or through nested groups.
    Groups,
}

impl Relation {
    /// The relation `kind` carries.
    pub fn of(kind: ResourceKind) -> Self {
        match kind {
            ResourceKind::Group => Self::Members,
            ResourceKind::User => Self::Groups,
        }
    }

    /// The relation attribute `attribute` (a canonical core attribute name) of `kind` is,
    /// if it is one.
    pub fn named(kind: ResourceKind, attribute: &str) -> Option<Self> {
        let relation = Self::of(kind);
        (relation.attribute() == attribute).then_some(relation)
    }

    /// The resource type carrying the attribute.
    pub fn owner(self) -> ResourceKind {
        match self {
            Self::Members => ResourceKind::Group,
            Self::Groups => ResourceKind::User,
        }
    }

    /// The attribute's name in the owner's core schema.
    pub fn attribute(self) -> &'static str {
        match self {
            Self::Members => "members",
            Self::Groups => "groups",
        }
    }

    /// What the other end of a membership may be: a group's members are users and groups,
    /// a user's memberships are groups.
    pub fn related_kinds(self) -> &'static [ResourceKind] {
        match self {
            Self::Members => &ResourceKind::ALL,
            Self::Groups => &[ResourceKind::Group],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_carries_one_relation_named_by_its_core_attribute() {
        for kind in ResourceKind::ALL {
            let relation = Relation::of(kind);
            assert_eq!(relation.owner(), kind);
            assert_eq!(Relation::named(kind, relation.attribute()), Some(relation));
        }
        assert_eq!(Relation::named(ResourceKind::User, "members"), None);
        assert_eq!(Relation::named(ResourceKind::Group, "groups"), None);
        assert_eq!(Relation::named(ResourceKind::Group, "displayName"), None);
    }

    #[test]
    fn groups_hold_users_and_groups_and_users_belong_to_groups() {
        assert_eq!(
            Relation::Members.related_kinds(),
            &[ResourceKind::User, ResourceKind::Group]
        );
        assert_eq!(Relation::Groups.related_kinds(), &[ResourceKind::Group]);
    }
}
