use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "resources")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub resource_type: String,
    pub version: i64,
    pub created: DateTimeUtc,
    pub last_modified: DateTimeUtc,
    #[sea_orm(column_type = "JsonBinary")]
    pub document: Json,
    pub user_name_ci: Option<String>,
    pub external_id: Option<String>,
    pub display_name_ci: Option<String>,
    pub display: Option<String>,
    pub password_hash: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
