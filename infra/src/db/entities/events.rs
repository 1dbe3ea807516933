use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Empty until the sequencer numbers the event (PostgreSQL; SQLite numbers at once).
    pub sequence: Option<i64>,
    pub txn: Uuid,
    pub event_type: String,
    pub operation: String,
    pub resource_type: String,
    pub resource_id: Uuid,
    pub external_id: Option<String>,
    pub version: i64,
    pub actor: String,
    pub request_id: Option<String>,
    pub occurred_at: DateTimeUtc,
    #[sea_orm(column_type = "JsonBinary")]
    pub payload: Json,
    /// Where the write put the event among all writes (PostgreSQL only): the numbering order.
    pub recorded: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
