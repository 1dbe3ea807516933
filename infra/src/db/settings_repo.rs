//! Deployment-wide settings every replica reads from the database.

use sea_orm::{ActiveValue::Set, DatabaseConnection, DbErr, EntityTrait};

use super::entities::settings;

const FINGERPRINT_KEY: &str = "token_fingerprint_key";

/// The key of the token fingerprints in the cache. The first replica to start creates it;
/// a racing replica's insert is ignored and both then read the winner's value.
pub async fn fingerprint_key(db: &DatabaseConnection, fresh: String) -> Result<String, DbErr> {
    let row = settings::ActiveModel {
        name: Set(FINGERPRINT_KEY.to_owned()),
        value: Set(fresh),
    };
    settings::Entity::insert(row)
        .on_conflict_do_nothing_on([settings::Column::Name])
        .exec(db)
        .await?;
    settings::Entity::find_by_id(FINGERPRINT_KEY.to_owned())
        .one(db)
        .await?
        .map(|row| row.value)
        .ok_or_else(|| DbErr::RecordNotFound(FINGERPRINT_KEY.to_owned()))
}
