use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "signing_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub kid: String,
    pub algorithm: String,
    #[sea_orm(column_type = "Text")]
    pub private_key: String,
    #[sea_orm(column_type = "JsonBinary")]
    pub public_jwk: Json,
    pub created: DateTimeUtc,
    pub not_after: Option<DateTimeUtc>,
    pub active: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
