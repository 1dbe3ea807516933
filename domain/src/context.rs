//! The context every SCIM use case takes: who asks, and where the answer points. The tenant
//! travels inside the principal, so no store call can be made without one.

use crate::authz::principal::Principal;

/// Who asks, under which SCIM base URL the answer's locations must point, and the request's
/// id (for the audit log).
pub struct RequestContext {
    pub principal: Principal,
    pub base_url: String,
    pub request_id: Option<String>,
}
