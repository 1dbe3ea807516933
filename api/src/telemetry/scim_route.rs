//! The SCIM operation and resource type a request asks for, read from its method and route
//! pattern alone, so they are known when the request's span opens and never depend on
//! anything the client typed into the path.

use actix_web::http::Method;
use scimgate_domain::schema::kind::ResourceKind;

/// What a SCIM request does, for span fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScimRoute {
    /// `list`, `create`, `get`, `replace`, `patch`, `delete`, `search`, `bulk` or `discovery`.
    pub operation: &'static str,
    /// `User` or `Group`; `None` for operations across types.
    pub resource_type: Option<&'static str>,
}

const SCIM_ROOT: &str = "/scim/v2";

/// `None` for non-SCIM routes and for methods a SCIM route does not serve.
pub fn classify(method: &Method, pattern: Option<&str>) -> Option<ScimRoute> {
    let (_, rest) = pattern?.split_once(SCIM_ROOT)?;
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let kind = segments.first().and_then(|first| {
        ResourceKind::ALL
            .into_iter()
            .find(|k| k.endpoint()[1..] == **first)
    });
    let (operation, resource_type) = match (kind, segments.as_slice()) {
        (Some(kind), [_]) => (collection_operation(method)?, Some(kind.name())),
        (Some(kind), [_, ".search"]) if method == Method::POST => ("search", Some(kind.name())),
        (Some(kind), [_, _]) => (item_operation(method)?, Some(kind.name())),
        (None, [".search"]) if method == Method::POST => ("search", None),
        (None, ["Bulk"]) if method == Method::POST => ("bulk", None),
        // `/Me` is the caller's own User: an item, except that POST creates it.
        (None, ["Me"]) => match *method {
            Method::POST => ("create", Some(ResourceKind::User.name())),
            _ => (item_operation(method)?, Some(ResourceKind::User.name())),
        },
        (None, ["ServiceProviderConfig" | "ResourceTypes" | "Schemas", ..])
            if method == Method::GET =>
        {
            ("discovery", None)
        }
        _ => return None,
    };
    Some(ScimRoute {
        operation,
        resource_type,
    })
}

fn collection_operation(method: &Method) -> Option<&'static str> {
    match *method {
        Method::GET => Some("list"),
        Method::POST => Some("create"),
        _ => None,
    }
}

fn item_operation(method: &Method) -> Option<&'static str> {
    match *method {
        Method::GET => Some("get"),
        Method::PUT => Some("replace"),
        Method::PATCH => Some("patch"),
        Method::DELETE => Some("delete"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(method: Method, pattern: &str) -> Option<(&'static str, Option<&'static str>)> {
        classify(&method, Some(pattern)).map(|r| (r.operation, r.resource_type))
    }

    #[test]
    fn resource_routes_name_operation_and_type_under_both_base_paths() {
        let users = "/t/{tenant}/scim/v2/Users";
        assert_eq!(op(Method::GET, users), Some(("list", Some("User"))));
        assert_eq!(op(Method::POST, users), Some(("create", Some("User"))));
        let group = "/scim/v2/Groups/{id}";
        assert_eq!(op(Method::GET, group), Some(("get", Some("Group"))));
        assert_eq!(op(Method::PUT, group), Some(("replace", Some("Group"))));
        assert_eq!(op(Method::PATCH, group), Some(("patch", Some("Group"))));
        assert_eq!(op(Method::DELETE, group), Some(("delete", Some("Group"))));
        assert_eq!(
            op(Method::POST, "/scim/v2/Users/.search"),
            Some(("search", Some("User")))
        );
    }

    #[test]
    fn me_is_an_item_of_users_that_post_creates() {
        let me = "/t/{tenant}/scim/v2/Me";
        assert_eq!(op(Method::GET, me), Some(("get", Some("User"))));
        assert_eq!(op(Method::PATCH, me), Some(("patch", Some("User"))));
        assert_eq!(
            op(Method::POST, "/scim/v2/Me"),
            Some(("create", Some("User")))
        );
        assert_eq!(op(Method::HEAD, me), None);
    }

    #[test]
    fn cross_type_routes_have_no_resource_type() {
        assert_eq!(op(Method::POST, "/scim/v2/.search"), Some(("search", None)));
        assert_eq!(
            op(Method::POST, "/t/{tenant}/scim/v2/Bulk"),
            Some(("bulk", None))
        );
        assert_eq!(
            op(Method::GET, "/scim/v2/Schemas/{id}"),
            Some(("discovery", None))
        );
    }

    #[test]
    fn other_routes_and_unserved_methods_are_not_scim_operations() {
        assert_eq!(op(Method::GET, "/healthz"), None);
        assert_eq!(op(Method::DELETE, "/scim/v2/Users"), None);
        assert_eq!(op(Method::GET, "/scim/v2/Bulk"), None);
        assert_eq!(classify(&Method::GET, None), None);
    }
}
