use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "trusted_issuers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub issuer: String,
    pub audience: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub jwks_url: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub introspection_url: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub introspection_client_id: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub introspection_client_secret: Option<String>,
    pub scope_claim: String,
    pub allowed_scopes: String,
    #[sea_orm(column_type = "JsonBinary")]
    pub copy_claims: Json,
    #[sea_orm(column_type = "JsonBinary", nullable)]
    pub policy: Option<Json>,
    pub created: DateTimeUtc,
    pub registered_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
