//! `ResourceStore` on sea-orm: one transaction per write, membership as rows.

use std::sync::Arc;

use async_trait::async_trait;
use scimgate_domain::authz::VisibleRows;
use scimgate_domain::error::DomainResult;
use scimgate_domain::event::EventDraft;
use scimgate_domain::ports::{NewResource, PatchWrite, ResourceStore, WriteOutcome};
use scimgate_domain::query::list::ListQuery;
use scimgate_domain::resource::stored::{Page, ResourceWrite, StoredResource};
use scimgate_domain::schema::SchemaRegistry;
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::tenant::TenantId;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use tracing::field::Empty;
use uuid::Uuid;

use super::audit_repo::SqlAuditLog;
use super::create_combiner::{CreateCombiner, workers_for};
use super::entities::resources;
use super::errors::unavailable;
use super::guard_rails::take_seat;
use super::list_sql::ListStatements;
use super::membership_batch::MemberEdit;
use super::membership_combiner::MembershipCombiner;
use super::observe::db_system;
use super::resource_batch;
use super::resource_counts;
use super::resource_delete::delete_resource;
use super::resource_insert::insert_resource;
use super::resource_load::{ALL, OwnRows, load};
use super::resource_patch::patch_in_txn;
use super::resource_replace::replace_in_txn;
use super::resource_restore::restore_resource;
use super::resource_rows::{attach_relations, from_row};
use super::update_batch::Updated;
use super::update_combiner::UpdateCombiner;
use super::visible_rows::VisibleSql;
use super::write_txn::WriteTxns;

pub struct SqlResourceStore {
    db: DatabaseConnection,
    registry: Arc<SchemaRegistry>,
    writes: Arc<WriteTxns>,
    /// Writes concurrent creates together when set (`create_combiner`).
    combiner: Option<CreateCombiner>,
    /// Writes concurrent membership patches of a group together when set
    /// (`membership_combiner`).
    member_edits: Option<MembershipCombiner>,
    /// Writes concurrent User document updates together when set (`update_combiner`).
    updates: Option<UpdateCombiner>,
}

impl SqlResourceStore {
    /// Stores a successful write's audit entry in its transaction; `audit` counts the losses.
    pub fn new(
        db: DatabaseConnection,
        registry: Arc<SchemaRegistry>,
        audit: Arc<SqlAuditLog>,
    ) -> Self {
        let writes = Arc::new(WriteTxns::new(db.clone(), audit));
        Self {
            db,
            registry,
            writes,
            combiner: None,
            member_edits: None,
            updates: None,
        }
    }

    /// Writes concurrent creates that name no other resource in shared transactions, through
    /// workers on the current Tokio runtime.
    pub fn with_combined_creates(mut self) -> Self {
        let workers = workers_for(self.db.get_database_backend());
        self.combiner = Some(CreateCombiner::start(self.writes.clone(), workers));
        self
    }

    /// Writes concurrent patches that only add or remove named members of one group in
    /// shared transactions, through tasks on the current Tokio runtime.
    pub fn with_combined_member_edits(mut self) -> Self {
        self.member_edits = Some(MembershipCombiner::new(self.writes.clone()));
        self
    }

    /// Writes concurrent PUTs and attribute PATCHes of Users that name no other resource in
    /// shared transactions, through workers on the current Tokio runtime.
    pub fn with_combined_updates(mut self) -> Self {
        let backend = self.db.get_database_backend();
        self.updates = Some(UpdateCombiner::start(
            self.writes.clone(),
            self.registry.clone(),
            backend,
            workers_for(backend),
        ));
        self
    }

    fn visible<'a>(&'a self, tenant: Uuid, rows: &'a VisibleRows) -> VisibleSql<'a> {
        VisibleSql {
            registry: &self.registry,
            backend: self.db.get_database_backend(),
            tenant,
            rows,
        }
    }
}

/// Whether an update can go through the update combiner: a User naming no other resource.
fn combinable(write: &ResourceWrite) -> bool {
    write.kind == ResourceKind::User && write.members.is_empty() && write.references.is_empty()
}

#[async_trait]
impl ResourceStore for SqlResourceStore {
    #[tracing::instrument(name = "db.resources.insert", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %tenant.0, scim.resource_type = write.kind.name(), otel.status_code = Empty,
    ))]
    async fn insert(
        &self,
        tenant: TenantId,
        write: &ResourceWrite,
        event: &EventDraft,
    ) -> DomainResult<StoredResource> {
        let tenant = tenant.0;
        if let Some(combiner) = &self.combiner
            && write.members.is_empty()
            && write.references.is_empty()
        {
            return combiner.insert(tenant, write, event).await;
        }
        let txn = self.writes.begin(event.audit.as_ref()).await?;
        insert_resource(txn, self.visible(tenant, ALL), tenant, write, event).await
    }

    #[tracing::instrument(name = "db.resources.insert_batch", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %tenant.0, creates = writes.len(), otel.status_code = Empty,
    ))]
    async fn insert_batch(
        &self,
        tenant: TenantId,
        writes: &[NewResource<'_>],
    ) -> DomainResult<Vec<DomainResult<StoredResource>>> {
        resource_batch::insert_batch(&self.writes, tenant.0, writes).await
    }

    #[tracing::instrument(name = "db.resources.get", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %tenant.0, scim.resource_type = kind.name(), otel.status_code = Empty,
    ))]
    async fn get(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        id: Uuid,
    ) -> DomainResult<Option<StoredResource>> {
        load(
            &self.db,
            self.visible(tenant.0, ALL),
            kind,
            id,
            OwnRows::Check,
        )
        .await
    }

    #[tracing::instrument(name = "db.resources.get_visible", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %tenant.0, scim.resource_type = kind.name(), otel.status_code = Empty,
    ))]
    async fn get_visible(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        id: Uuid,
        rows: &VisibleRows,
    ) -> DomainResult<Option<StoredResource>> {
        let visible = self.visible(tenant.0, rows);
        load(&self.db, visible, kind, id, OwnRows::Check).await
    }

    #[tracing::instrument(name = "db.resources.list", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %tenant.0, scim.resource_type = kind.name(), otel.status_code = Empty,
    ))]
    async fn list(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        query: &ListQuery,
    ) -> DomainResult<Page> {
        let mut sql = ListStatements::build(
            &self.registry,
            self.db.get_database_backend(),
            tenant.0,
            kind,
            query,
        )?;
        let mut rows = match sql.page.take() {
            Some(page) => page.all(&self.db).await.map_err(unavailable)?,
            None => Vec::new(),
        };
        let known = sql.known_total(query, rows.len() as u64);
        let has_more = query.cursor.is_some() && rows.len() as u64 > query.count;
        rows.truncate(usize::try_from(query.count).unwrap_or(usize::MAX));
        if sql.backward {
            rows.reverse();
        }
        let sort_keys = if query.cursor.is_some() {
            rows.iter()
                .map(|row| sql.plan.key_of(&self.registry, kind, row))
                .collect()
        } else {
            Vec::new()
        };
        let mut page = rows
            .into_iter()
            .map(from_row)
            .collect::<DomainResult<Vec<_>>>()?;
        // Both need only the page: on two pooled connections at once, a list costs two
        // sequential round trips at most, whether or not it needs a count and relations.
        let total = async {
            match known {
                Some(total) => Ok(total),
                None if query.filter.is_none() && query.rows.of(kind).is_none() => {
                    resource_counts::total(&self.db, tenant.0, kind).await
                }
                None => sql.matching.count(&self.db).await.map_err(unavailable),
            }
        };
        let relations = async {
            if query.with_relations {
                attach_relations(&self.db, self.visible(tenant.0, &query.rows), &mut page).await
            } else {
                Ok(())
            }
        };
        let (total, relations) = tokio::join!(total, relations);
        relations?;
        let total = total?;
        Ok(Page {
            total,
            resources: page,
            sort_keys,
            has_more,
        })
    }

    #[tracing::instrument(name = "db.resources.replace", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %tenant.0, scim.resource_type = write.kind.name(), otel.status_code = Empty,
    ))]
    async fn replace(
        &self,
        tenant: TenantId,
        write: &ResourceWrite,
        expected_version: i64,
        rows: &VisibleRows,
        event: &EventDraft,
    ) -> DomainResult<Option<StoredResource>> {
        let tenant = tenant.0;
        if let Some(updates) = &self.updates
            && combinable(write)
            && !rows.limits_relations_of(ResourceKind::User)
        {
            let updated = updates
                .update(tenant, write, expected_version, event, true)
                .await?;
            return Ok(match updated {
                Some(Updated::Resource(stored)) => Some(stored),
                _ => None,
            });
        }
        let txn = self.writes.begin(event.audit.as_ref()).await?;
        if write.takes_seat {
            take_seat(&txn, tenant).await?;
        }
        let visible = self.visible(tenant, rows);
        replace_in_txn(txn, visible, write, expected_version, event).await
    }

    #[tracing::instrument(name = "db.resources.get_document", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %tenant.0, scim.resource_type = kind.name(), otel.status_code = Empty,
    ))]
    async fn get_document(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        id: Uuid,
    ) -> DomainResult<Option<StoredResource>> {
        resources::Entity::find_by_id((tenant.0, id))
            .filter(resources::Column::ResourceType.eq(kind.name()))
            .one(&self.db)
            .await
            .map_err(unavailable)?
            .map(from_row)
            .transpose()
    }

    #[tracing::instrument(name = "db.resources.patch", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %tenant.0, scim.resource_type = write.kind.name(), otel.status_code = Empty,
    ))]
    async fn patch(&self, tenant: TenantId, write: PatchWrite<'_>) -> DomainResult<WriteOutcome> {
        if let Some(combiner) = &self.member_edits
            && let Some(edit) = MemberEdit::of(&write)
        {
            return combiner.patch(tenant.0, write.id, edit).await;
        }
        if let Some(updates) = &self.updates
            && let Some(document) = write.document
            && combinable(document)
            && write.membership.is_empty()
        {
            let updated = updates
                .update(
                    tenant.0,
                    document,
                    write.expected_version,
                    write.event,
                    false,
                )
                .await?;
            // A version that moved and a resource that is gone look alike here: the service
            // reads again, and finds which.
            return Ok(match updated {
                Some(Updated::Version(version)) => WriteOutcome::Written { version },
                _ => WriteOutcome::VersionMoved,
            });
        }
        let txn = self.writes.begin(write.event.audit.as_ref()).await?;
        let visible = self.visible(tenant.0, write.rows);
        if let Some(version) = patch_in_txn(txn, visible, &write).await? {
            return Ok(WriteOutcome::Written { version });
        }
        let exists = self
            .get_document(tenant, write.kind, write.id)
            .await?
            .is_some();
        Ok(if exists && write.document.is_some() {
            WriteOutcome::VersionMoved
        } else {
            WriteOutcome::Missing
        })
    }

    #[tracing::instrument(name = "db.resources.delete", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %tenant.0, scim.resource_type = kind.name(), otel.status_code = Empty,
    ))]
    async fn delete(
        &self,
        tenant: TenantId,
        kind: ResourceKind,
        id: Uuid,
        event: &EventDraft,
    ) -> DomainResult<bool> {
        let txn = self.writes.begin(event.audit.as_ref()).await?;
        delete_resource(txn, tenant.0, kind, id, event).await
    }

    #[tracing::instrument(name = "db.resources.restore", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %tenant.0, otel.status_code = Empty,
    ))]
    async fn restore(
        &self,
        tenant: TenantId,
        write: &ResourceWrite,
        event: &EventDraft,
    ) -> DomainResult<Option<StoredResource>> {
        let txn = self.writes.begin(event.audit.as_ref()).await?;
        restore_resource(txn, self.visible(tenant.0, ALL), tenant.0, write, event).await
    }
}
