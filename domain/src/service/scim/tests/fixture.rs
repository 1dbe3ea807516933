//! The resource service wired to the in-memory store and plain fakes (a readable "hash", a
//! fixed clock, an audit log in a vector), and callers of one tenant with given scopes and
//! policy.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::memory_store::MemoryStore;
use crate::audit::{AuditEntry, AuditQuery};
use crate::authz::Policy;
use crate::authz::principal::Principal;
use crate::context::RequestContext;
use crate::error::DomainResult;
use crate::patch::PATCH_OP_SCHEMA;
use crate::ports::{AuditLog, Clock, SecretHasher};
use crate::query::list::PageLimits;
use crate::schema::SchemaRegistry;
use crate::schema::kind::{ENTERPRISE_USER_SCHEMA, ResourceKind, USER_SCHEMA};
use crate::scope::Scope;
use crate::service::audit::Auditor;
use crate::service::scim::patch_resource::{PatchRequest, Patched};
use crate::service::scim::resources::{ResourceService, ResourceView, ViewParams};
use crate::tenant::{TenantId, TenantSlug};

pub const BASE_URL: &str = "https://scim.test/t/acme/scim/v2";

/// Hashes that show what they hash: the tests never need argon2's cost.
struct PlainHasher;

#[async_trait]
impl SecretHasher for PlainHasher {
    async fn hash(&self, secret: &str) -> DomainResult<String> {
        Ok(format!("plain:{secret}"))
    }
    async fn verify(&self, secret: &str, hash: &str) -> DomainResult<bool> {
        Ok(hash == format!("plain:{secret}"))
    }
    fn fingerprint(&self, credential: &str) -> String {
        format!("fp:{credential}")
    }
    fn random_secret(&self) -> String {
        "secret".into()
    }
}

struct FixedClock(DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// The audit log in memory, newest last.
#[derive(Default)]
pub struct MemoryAudit(Mutex<Vec<AuditEntry>>);

impl MemoryAudit {
    /// `(action, status, scimType)` of every entry the service recorded itself.
    pub fn outcomes(&self) -> Vec<(String, u16, Option<String>)> {
        self.0
            .lock()
            .expect("audit lock")
            .iter()
            .map(|e| (e.action.clone(), e.status, e.scim_type.clone()))
            .collect()
    }
}

#[async_trait]
impl AuditLog for MemoryAudit {
    async fn append(&self, entry: &AuditEntry) -> DomainResult<()> {
        self.0.lock().expect("audit lock").push(entry.clone());
        Ok(())
    }
    async fn list(&self, _: TenantId, _: &AuditQuery) -> DomainResult<Vec<AuditEntry>> {
        Ok(self.0.lock().expect("audit lock").clone())
    }
}

pub struct Fixture {
    pub service: ResourceService,
    pub store: Arc<MemoryStore>,
    pub audit: Arc<MemoryAudit>,
    pub tenant: TenantId,
}

impl Fixture {
    pub fn new() -> Self {
        let registry = Arc::new(SchemaRegistry::standard());
        let store = Arc::new(MemoryStore::new(registry.clone()));
        let audit = Arc::new(MemoryAudit::default());
        let clock: Arc<dyn Clock> = Arc::new(FixedClock(
            Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
        ));
        let service = ResourceService::new(
            registry,
            store.clone(),
            Arc::new(PlainHasher),
            clock.clone(),
            PageLimits {
                default_count: 50,
                max_results: 200,
            },
            Arc::new(Auditor::new(audit.clone(), clock)),
        );
        Self {
            service,
            store,
            audit,
            tenant: TenantId(Uuid::now_v7()),
        }
    }

    /// A caller of the tenant with `scim:read` and `scim:write` and no policy.
    pub fn admin(&self) -> RequestContext {
        self.caller(&[Scope::Read, Scope::Write], None, json!({}))
    }

    /// A caller of the tenant with `scopes`, `policy` (parsed here) and fixed `claims`.
    pub fn caller(&self, scopes: &[Scope], policy: Option<Value>, claims: Value) -> RequestContext {
        let policy = policy.map(|p| Policy::parse(p, self.service.registry()).unwrap());
        let claims: Map<String, Value> = serde_json::from_value(claims).unwrap();
        RequestContext {
            principal: Principal {
                tenant_id: self.tenant,
                tenant_slug: TenantSlug::parse("acme").unwrap(),
                subject: "tester".into(),
                scopes: scopes.to_vec(),
                claims,
                policy,
            },
            base_url: BASE_URL.into(),
            request_id: None,
        }
    }

    pub async fn create(&self, ctx: &RequestContext, body: Value) -> DomainResult<ResourceView> {
        self.service
            .create(ctx, ResourceKind::User, body, &ViewParams::default())
            .await
    }

    /// PATCHes user `id` with a PatchOp of `operations`, asking for the representation.
    pub async fn patch(
        &self,
        ctx: &RequestContext,
        id: &str,
        operations: Value,
        if_match: Option<&str>,
    ) -> DomainResult<Value> {
        let body = json!({"schemas": [PATCH_OP_SCHEMA], "Operations": operations});
        let request = PatchRequest {
            kind: ResourceKind::User,
            id,
            body: &body,
            if_match,
            view: &ViewParams::default(),
            representation: true,
        };
        match self.service.patch(ctx, request).await? {
            Patched::Representation(view) => Ok(view.body),
            Patched::Version(_) => panic!("asked for the representation"),
        }
    }

    /// PUTs `body` as user `id`.
    pub async fn replace(
        &self,
        ctx: &RequestContext,
        id: &str,
        body: Value,
        if_match: Option<&str>,
    ) -> DomainResult<ResourceView> {
        let view = ViewParams::default();
        self.service
            .replace(ctx, ResourceKind::User, id, body, if_match, &view)
            .await
    }

    /// Creates a user as the admin and returns its id.
    pub async fn add_user(&self, body: Value) -> String {
        let created = self.create(&self.admin(), body).await.unwrap();
        created.body["id"].as_str().unwrap().to_owned()
    }

    /// The stored document of user `id`, as the store holds it.
    pub fn stored(&self, id: &str) -> Map<String, Value> {
        let id = Uuid::parse_str(id).unwrap();
        self.store.stored(self.tenant, id).unwrap().document
    }
}

/// A user with only a userName.
pub fn named(user_name: &str) -> Value {
    json!({"schemas": [USER_SCHEMA], "userName": user_name})
}

/// A user with a userName and a title.
pub fn titled(user_name: &str, title: &str) -> Value {
    json!({"schemas": [USER_SCHEMA], "userName": user_name, "title": title})
}

/// A user of organization `org` with a title and a department.
pub fn org_user(user_name: &str, org: &str) -> Value {
    json!({
        "schemas": [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        "userName": user_name,
        "title": "Engineer",
        ENTERPRISE_USER_SCHEMA: {"organization": org, "department": "Hidden"},
    })
}

/// What a partner may write: a user of `org` with nothing else.
pub fn member_of(user_name: &str, org: &str) -> Value {
    json!({
        "schemas": [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        "userName": user_name,
        ENTERPRISE_USER_SCHEMA: {"organization": org},
    })
}

/// A partner's policy: rows of its `org` claim; reads and writes userName, the organization
/// and `active` only.
pub fn partner_policy() -> Value {
    let org = format!("{ENTERPRISE_USER_SCHEMA}:organization");
    json!({
        "userFilter": format!("{org} eq \"{{{{claims.org}}}}\""),
        "readable": ["userName", "active", &org],
        "writable": ["userName", "active", org],
    })
}

/// The status and `scimType` a client gets for `result`'s error.
pub fn refusal<T>(result: DomainResult<T>) -> (u16, Option<&'static str>) {
    match result {
        Ok(_) => panic!("expected a refusal, got a success"),
        Err(err) => err.scim_status(),
    }
}
