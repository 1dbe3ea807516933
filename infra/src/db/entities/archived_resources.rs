use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "archived_resources")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub resource_type: String,
    pub version: i64,
    pub created: DateTimeUtc,
    #[sea_orm(column_type = "JsonBinary", nullable)]
    pub document: Option<Json>,
    pub password_hash: Option<String>,
    pub external_id: Option<String>,
    pub display: Option<String>,
    #[sea_orm(column_type = "JsonBinary", nullable)]
    pub group_ids: Option<Json>,
    #[sea_orm(column_type = "JsonBinary", nullable)]
    pub member_ids: Option<Json>,
    pub deleted_at: DateTimeUtc,
    pub purge_after: Option<DateTimeUtc>,
    pub purged_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
