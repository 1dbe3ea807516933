//! Who runs an admin use case: the operator (admin key, CLI) over every tenant, or a tenant
//! admin (a token of the tenant holding `scim:admin`) over its own tenant only.

use crate::audit::OPERATOR;
use crate::authz::principal::Principal;
use crate::error::{DomainError, DomainResult};
use crate::ports::TenantStore;
use crate::scope::Scope;
use crate::service::audit::AuditEvent;
use crate::tenant::{Tenant, TenantId, TenantSlug};

#[derive(Debug, Clone)]
enum Caller {
    /// The operator, audited as `actor`: `operator`, or its console session.
    Operator(String),
    TenantAdmin(Box<Principal>),
}

/// The caller of an admin use case and the request it came with, for the audit log.
#[derive(Debug, Clone)]
pub struct AdminContext {
    caller: Caller,
    request_id: Option<String>,
}

impl AdminContext {
    pub fn operator(request_id: Option<String>) -> Self {
        Self {
            caller: Caller::Operator(OPERATOR.to_owned()),
            request_id,
        }
    }

    /// The operator acting through a console session, audited as that session (`actor`).
    pub fn operator_as(actor: String, request_id: Option<String>) -> Self {
        Self {
            caller: Caller::Operator(actor),
            request_id,
        }
    }

    /// A tenant's own admin: 403 unless the principal holds `scim:admin`.
    pub fn tenant_admin(principal: Principal, request_id: Option<String>) -> DomainResult<Self> {
        principal.require_scope(Scope::Admin)?;
        Ok(Self {
            caller: Caller::TenantAdmin(Box::new(principal)),
            request_id,
        })
    }

    /// The audit actor: `operator`, or the token / OAuth client id.
    pub fn actor(&self) -> &str {
        match &self.caller {
            Caller::Operator(actor) => actor,
            Caller::TenantAdmin(principal) => &principal.subject,
        }
    }

    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// An audit event of this caller, without a target id yet.
    pub fn event(
        &self,
        tenant: TenantId,
        action: &str,
        target_type: &'static str,
    ) -> AuditEvent<'_> {
        AuditEvent {
            tenant,
            actor: self.actor(),
            request_id: self.request_id(),
            action: action.to_owned(),
            target_type,
            target_id: None,
        }
    }

    /// The tenant a tenant admin is bound to; `None` for the operator.
    pub fn own_tenant(&self) -> Option<&TenantSlug> {
        match &self.caller {
            Caller::Operator(_) => None,
            Caller::TenantAdmin(principal) => Some(&principal.tenant_slug),
        }
    }

    /// Another tenant's objects are as absent as missing ones to a tenant admin (404, as on
    /// the SCIM routes), so their ids reveal nothing.
    pub fn check_tenant(
        &self,
        tenant: TenantId,
        what: impl FnOnce() -> String,
    ) -> DomainResult<()> {
        match &self.caller {
            Caller::TenantAdmin(principal) if principal.tenant_id != tenant => {
                Err(DomainError::NotFound(what()))
            }
            _ => Ok(()),
        }
    }

    /// The tenant `slug` as this caller may address it: to a tenant admin, any other tenant
    /// is as absent as a missing one.
    pub async fn tenant(
        &self,
        tenants: &dyn TenantStore,
        slug: &TenantSlug,
    ) -> DomainResult<Tenant> {
        let missing = || format!("no tenant '{slug}'");
        let tenant = tenants
            .find_by_slug(slug)
            .await?
            .ok_or_else(|| DomainError::NotFound(missing()))?;
        self.check_tenant(tenant.id, missing)?;
        Ok(tenant)
    }

    /// Operator-only use cases (creating tenants).
    pub fn require_operator(&self) -> DomainResult<()> {
        match self.caller {
            Caller::Operator(_) => Ok(()),
            Caller::TenantAdmin(_) => Err(DomainError::Forbidden(
                "only the operator may do this".into(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn principal(scopes: Vec<Scope>) -> Principal {
        Principal {
            tenant_id: TenantId(Uuid::now_v7()),
            tenant_slug: TenantSlug::parse("acme").unwrap(),
            subject: "0123abcd".into(),
            scopes,
            claims: Default::default(),
            policy: None,
        }
    }

    #[test]
    fn tenant_admin_needs_the_admin_scope_and_stays_in_its_tenant() {
        assert!(matches!(
            AdminContext::tenant_admin(principal(vec![Scope::Read, Scope::Write]), None),
            Err(DomainError::Forbidden(_))
        ));
        let admin = principal(vec![Scope::Admin]);
        let own = admin.tenant_id;
        let ctx = AdminContext::tenant_admin(admin, None).unwrap();
        assert_eq!(ctx.actor(), "0123abcd");
        assert!(ctx.check_tenant(own, String::new).is_ok());
        assert!(matches!(
            ctx.check_tenant(TenantId(Uuid::now_v7()), String::new),
            Err(DomainError::NotFound(_))
        ));
        assert!(ctx.require_operator().is_err());
        let operator = AdminContext::operator(None);
        assert_eq!(operator.actor(), "operator");
        assert!(operator.check_tenant(own, String::new).is_ok());
    }
}
