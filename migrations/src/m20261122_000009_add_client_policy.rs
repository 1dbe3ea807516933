use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// An OAuth client's policy (row filters, readable and writable attributes) as a JSON object;
/// null for clients only their scopes restrict.
#[derive(DeriveIden)]
enum OauthClients {
    Table,
    Policy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OauthClients::Table)
                    .add_column(ColumnDef::new(OauthClients::Policy).json_binary().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OauthClients::Table)
                    .drop_column(OauthClients::Policy)
                    .to_owned(),
            )
            .await
    }
}
