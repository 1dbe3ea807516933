//! SCIM use cases on Users and Groups: create, get, list, replace, delete, always within the
//! caller's tenant.

use std::sync::Arc;

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::authz::Grant;
use crate::context::RequestContext;
use crate::error::{DomainError, DomainResult};
use crate::event::Operation;
use crate::guard_rails::takes_seat;
use crate::ports::{Clock, GuardRefusals, LifecycleStore, ResourceStore, SecretHasher};
use crate::query::cursor::{self, CursorScope};
use crate::query::list::{ListParams, ListQuery, PageLimits};
use crate::resource::canonical::{WriteDocument, canonicalize, carry_immutable};
use crate::resource::projection::Projection;
use crate::resource::references::added_references;
use crate::resource::render::render;
use crate::resource::searchable::searchable_values;
use crate::resource::stored::{IndexedValues, ResourceWrite, StoredResource};
use crate::schema::SchemaRegistry;
use crate::schema::kind::ResourceKind;
use crate::schema::relation::Relation;
use crate::scope::Access;
use crate::service::audit::Auditor;
use crate::service::scim::read_cache::ReadCache;
use crate::service::scim::write_checks::before_replace;
pub(super) use crate::service::scim::write_checks::{check_if_match, take_member_ids};
use crate::tenant::TenantId;

pub use super::views::{ListView, ResourceView, ViewParams};

/// Optimistic concurrency: how often a replace re-reads after losing a race before giving up.
const REPLACE_ATTEMPTS: usize = 5;

pub struct ResourceService {
    pub(super) registry: Arc<SchemaRegistry>,
    pub(super) store: Arc<dyn ResourceStore>,
    pub(super) hasher: Arc<dyn SecretHasher>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) limits: PageLimits,
    pub(super) audit: Arc<Auditor>,
    /// Answers single-resource reads when set (see `read_cache`).
    pub(super) reads: Option<Arc<ReadCache>>,
    /// Where each tenant's guard rails are read, when they are enforced (see `guard_rails`).
    pub(super) guard_rails: Option<Arc<dyn LifecycleStore>>,
    /// Counts the writes they refuse.
    pub(super) refusals: Option<Arc<dyn GuardRefusals>>,
}

/// Where `load` may take a resource from.
#[derive(Clone, Copy)]
enum Source {
    /// The read cache when there is one: GET of a single resource.
    Cached,
    /// The store: writes check preconditions against the latest version.
    Store,
}

impl ResourceService {
    pub fn new(
        registry: Arc<SchemaRegistry>,
        store: Arc<dyn ResourceStore>,
        hasher: Arc<dyn SecretHasher>,
        clock: Arc<dyn Clock>,
        limits: PageLimits,
        audit: Arc<Auditor>,
    ) -> Self {
        Self {
            registry,
            store,
            hasher,
            clock,
            limits,
            audit,
            reads: None,
            guard_rails: None,
            refusals: None,
        }
    }

    pub fn registry(&self) -> &SchemaRegistry {
        &self.registry
    }

    pub fn limits(&self) -> PageLimits {
        self.limits
    }

    #[tracing::instrument(skip_all, fields(tenant = %ctx.principal.tenant_slug, kind = kind.name()))]
    pub(super) async fn try_create(
        &self,
        ctx: &RequestContext,
        kind: ResourceKind,
        body: Value,
        shape: &ViewParams,
    ) -> DomainResult<ResourceView> {
        let prepared = self.prepare_create(ctx, kind, body, shape).await?;
        self.insert_one(ctx, &prepared).await
    }

    pub async fn get(
        &self,
        ctx: &RequestContext,
        kind: ResourceKind,
        id: &str,
        shape: &ViewParams,
    ) -> DomainResult<ResourceView> {
        let grant = self.authorize(ctx, kind, Access::Read)?;
        let projection = self.projection(kind, shape)?;
        let stored = self.load(ctx, kind, id, &grant, Source::Cached).await?;
        Ok(self.view(&stored, &ctx.base_url, &projection, &grant))
    }

    pub async fn list(
        &self,
        ctx: &RequestContext,
        kind: ResourceKind,
        params: &ListParams,
    ) -> DomainResult<ListView> {
        let grant = self.authorize(ctx, kind, Access::Read)?;
        let projection = self.projection(kind, &ViewParams::of(params))?;
        let mut query = ListQuery::from_params(params, &self.registry, kind, self.limits)?;
        grant.restrict_query(&mut query)?;
        query.with_relations =
            projection.includes(Relation::of(kind).attribute(), &self.registry, kind);
        let binding = query.binding();
        let scope = CursorScope {
            tenant: ctx.principal.tenant_id,
            kind,
            query: &binding,
        };
        if let Some(token) = &query.cursor_token {
            query.cursor = Some(cursor::decode(
                &|s| self.hasher.fingerprint(s),
                token,
                &scope,
                self.clock.now(),
            )?);
        }
        let tenant = ctx.principal.tenant_id;
        let read = || self.store.list(tenant, kind, &query);
        let page = match &self.reads {
            Some(reads) => reads.list_or_load(tenant, kind, &query, read).await?,
            None => read().await?,
        };
        let (next_cursor, previous_cursor) = match &query.cursor {
            Some(request) => self.page_cursors(&scope, request, &page),
            None => (None, None),
        };
        Ok(ListView {
            total_results: page.total,
            start_index: query.cursor.is_none().then_some(query.start_index),
            resources: page
                .resources
                .iter()
                .map(|r| self.shaped(r, &ctx.base_url, &projection, &grant))
                .collect(),
            next_cursor,
            previous_cursor,
        })
    }

    /// PUT: the body replaces every writable attribute; readOnly ones are ignored, immutable
    /// ones must not change, and a missing password keeps the stored one.
    #[tracing::instrument(skip_all, fields(tenant = %ctx.principal.tenant_slug, kind = kind.name(), id))]
    pub(super) async fn try_replace(
        &self,
        ctx: &RequestContext,
        kind: ResourceKind,
        id: &str,
        body: Value,
        if_match: Option<&str>,
        shape: &ViewParams,
    ) -> DomainResult<ResourceView> {
        let grant = self.authorize(ctx, kind, Access::Write)?;
        let projection = self.projection(kind, shape)?;
        let input = canonicalize(&self.registry, kind, body)?;
        for _ in 0..REPLACE_ATTEMPTS {
            let existing = self.load(ctx, kind, id, &grant, Source::Store).await?;
            check_if_match(if_match, existing.version)?;
            let mut input = input.clone();
            carry_immutable(
                &self.registry,
                kind,
                &existing.document,
                &mut input.document,
            )?;
            let before = before_replace(&grant, &self.registry, &existing, &mut input.document);
            grant.carry_unwritable(&before, &mut input.document, &self.registry, kind);
            grant.check_write(
                &before,
                &input.document,
                input.password.is_some(),
                &self.registry,
                kind,
            )?;
            let prospect = self
                .replaced(ctx, &grant, &existing, &input.document)
                .await?;
            self.check_result_rows(&grant, prospect, &ctx.base_url)?;
            let write = self
                .prepare_write(
                    ctx.principal.tenant_id,
                    kind,
                    existing.id,
                    input,
                    Some(&existing.document),
                )
                .await?;
            let before: Vec<Uuid> = existing.members.iter().map(|m| m.id).collect();
            self.check_new_members(ctx, &write.members, &before).await?;
            self.check_new_references(ctx, &write.references).await?;
            let event = self.write_draft(ctx, Operation::Put, &write, Some(&existing.document));
            if let Some(stored) = self
                .store
                .replace(
                    ctx.principal.tenant_id,
                    &write,
                    existing.version,
                    &grant.rows,
                    &event,
                )
                .await?
            {
                return Ok(self.view(&stored, &ctx.base_url, &projection, &grant));
            }
        }
        Err(DomainError::Conflict(
            "the resource is being changed concurrently; retry".into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(tenant = %ctx.principal.tenant_slug, kind = kind.name(), id))]
    pub(super) async fn try_delete(
        &self,
        ctx: &RequestContext,
        kind: ResourceKind,
        id: &str,
        if_match: Option<&str>,
    ) -> DomainResult<()> {
        let grant = self.authorize(ctx, kind, Access::Write)?;
        let existing = self.load(ctx, kind, id, &grant, Source::Store).await?;
        check_if_match(if_match, existing.version)?;
        let event = self.unchanged_draft(
            ctx,
            Operation::Delete,
            kind,
            existing.id,
            &existing.document,
        );
        if self
            .store
            .delete(ctx.principal.tenant_id, kind, existing.id, &event)
            .await?
        {
            Ok(())
        } else {
            Err(not_found(kind, id))
        }
    }

    pub(super) fn projection(
        &self,
        kind: ResourceKind,
        shape: &ViewParams,
    ) -> DomainResult<Projection> {
        Projection::parse(
            shape.attributes.as_deref(),
            shape.excluded_attributes.as_deref(),
            &self.registry,
            kind,
        )
    }

    /// The representation a client asked for (RFC 7644 §3.9).
    pub(super) fn shaped(
        &self,
        stored: &StoredResource,
        base_url: &str,
        projection: &Projection,
        grant: &Grant,
    ) -> Value {
        let mut body = render(stored, base_url);
        projection.apply(&mut body, &self.registry, stored.kind);
        grant.redact(&mut body, &self.registry, stored.kind);
        body
    }

    pub(super) fn view(
        &self,
        stored: &StoredResource,
        base_url: &str,
        projection: &Projection,
        grant: &Grant,
    ) -> ResourceView {
        view(
            stored,
            base_url,
            self.shaped(stored, base_url, projection, grant),
        )
    }

    /// A resource outside the principal's rows is as absent as a missing one. The row check
    /// applies after the cache, per request, like projection; when the policy hides related
    /// resources, the store checks the rows and filters the relations (`visible_reads`).
    async fn load(
        &self,
        ctx: &RequestContext,
        kind: ResourceKind,
        id: &str,
        grant: &Grant,
        source: Source,
    ) -> DomainResult<StoredResource> {
        let uuid = Uuid::parse_str(id).map_err(|_| not_found(kind, id))?;
        if grant.rows.limits_relations_of(kind) {
            let cached = matches!(source, Source::Cached);
            let found = self.load_visible(ctx, kind, uuid, grant, cached).await?;
            return found.ok_or_else(|| not_found(kind, id));
        }
        let tenant = ctx.principal.tenant_id;
        let read = || self.store.get(tenant, kind, uuid);
        let found = match (&self.reads, source) {
            (Some(reads), Source::Cached) => reads.get_or_load(tenant, kind, uuid, read).await?,
            _ => read().await?,
        };
        found
            .filter(|stored| grant.sees(&render(stored, &ctx.base_url), &self.registry, kind))
            .ok_or_else(|| not_found(kind, id))
    }

    /// The write of `input` as resource `id`, replacing `before` when there is one.
    pub(super) async fn prepare_write(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        id: Uuid,
        input: WriteDocument,
        before: Option<&Map<String, Value>>,
    ) -> DomainResult<ResourceWrite> {
        let WriteDocument {
            mut document,
            password,
        } = input;
        let members = match kind {
            ResourceKind::Group => take_member_ids(&mut document, id)?,
            ResourceKind::User => Vec::new(),
        };
        let references = added_references(kind, before, &document)?;
        if kind == ResourceKind::User
            && let Some(policies) = &self.guard_rails
        {
            policies.guard_rails(tenant).await?.check_user(&document)?;
        }
        let takes_seat = kind == ResourceKind::User && takes_seat(before, &document);
        let password_hash = match password {
            Some(password) => Some(self.hasher.hash(&password).await?),
            None => None,
        };
        Ok(ResourceWrite {
            id,
            kind,
            values: searchable_values(&self.registry, kind, &document),
            indexed: IndexedValues::of(&document),
            document,
            password_hash,
            members,
            references,
            at: self.clock.now(),
            takes_seat,
        })
    }
}

fn view(stored: &StoredResource, base_url: &str, body: Value) -> ResourceView {
    let location = crate::resource::render::location(base_url, stored.kind, &stored.id.to_string());
    ResourceView {
        body,
        version: stored.version,
        location,
    }
}

pub(super) fn not_found(kind: ResourceKind, id: &str) -> DomainError {
    DomainError::NotFound(format!("{} '{id}' not found", kind.name()))
}
