use sea_orm_migration::prelude::*;

use crate::m20261122_000003_create_resources::Resources;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Membership as rows, so adding one member to a huge group is one insert. Both ends cascade
/// on delete: removing a user or group removes its memberships in the same statement.
#[derive(DeriveIden)]
enum GroupMembers {
    Table,
    TenantId,
    GroupId,
    MemberId,
    MemberType,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(GroupMembers::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(GroupMembers::TenantId).uuid().not_null())
                    .col(ColumnDef::new(GroupMembers::GroupId).uuid().not_null())
                    .col(ColumnDef::new(GroupMembers::MemberId).uuid().not_null())
                    .col(
                        ColumnDef::new(GroupMembers::MemberType)
                            .string_len(32)
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(GroupMembers::TenantId)
                            .col(GroupMembers::GroupId)
                            .col(GroupMembers::MemberId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_group_members_group")
                            .from(
                                GroupMembers::Table,
                                (GroupMembers::TenantId, GroupMembers::GroupId),
                            )
                            .to(Resources::Table, (Resources::TenantId, Resources::Id))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_group_members_member")
                            .from(
                                GroupMembers::Table,
                                (GroupMembers::TenantId, GroupMembers::MemberId),
                            )
                            .to(Resources::Table, (Resources::TenantId, Resources::Id))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_group_members_member")
                    .table(GroupMembers::Table)
                    .col(GroupMembers::TenantId)
                    .col(GroupMembers::MemberId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(GroupMembers::Table).to_owned())
            .await
    }
}
