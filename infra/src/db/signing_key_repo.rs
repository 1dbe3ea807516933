//! `SigningKeyStore` on sea-orm. A partial unique index (`ux_signing_keys_one_active`) keeps
//! at most one active key, so racing replicas and racing rotations cannot leave two. Private
//! keys are sealed with the deployment's secrets key (`sealing.rs`), bound to their `kid`.

use std::sync::Arc;

use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::oauth::signing_key::{PrivateKeyDer, SigningKey};
use scimgate_domain::ports::SigningKeyStore;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder, SqlErr, TransactionTrait, sea_query::Expr,
};

use super::entities::signing_keys;
use super::errors::unavailable;
use crate::sealing::Sealer;

pub struct SqlSigningKeyStore {
    db: DatabaseConnection,
    sealer: Arc<Sealer>,
}

impl SqlSigningKeyStore {
    pub fn new(db: DatabaseConnection, sealer: Arc<Sealer>) -> Self {
        Self { db, sealer }
    }

    fn to_row(&self, key: &SigningKey) -> DomainResult<signing_keys::ActiveModel> {
        let encoded = STANDARD.encode(key.private_key.expose());
        Ok(signing_keys::ActiveModel {
            kid: Set(key.kid.clone()),
            algorithm: Set(key.algorithm.clone()),
            private_key: Set(self
                .sealer
                .seal(&encoded, &aad(&key.kid))
                .map_err(DomainError::unavailable)?),
            public_jwk: Set(serde_json::Value::Object(key.public_jwk.clone())),
            created: Set(key.created),
            not_after: Set(key.not_after),
            active: Set(key.active),
        })
    }

    fn to_domain(&self, mut row: signing_keys::Model) -> DomainResult<SigningKey> {
        row.private_key = self
            .sealer
            .open(&row.private_key, &aad(&row.kid))
            .map_err(DomainError::unavailable)?;
        decode_row(row)
    }

    /// Seals the private keys stored plain or under a previous secrets key; how many.
    pub async fn reseal(&self) -> DomainResult<usize> {
        let rows = signing_keys::Entity::find()
            .all(&self.db)
            .await
            .map_err(unavailable)?;
        let mut sealed = 0;
        for row in rows {
            let resealed = self
                .sealer
                .resealed(&row.private_key, &aad(&row.kid))
                .map_err(DomainError::unavailable)?;
            let Some(value) = resealed else {
                continue;
            };
            signing_keys::Entity::update_many()
                .col_expr(signing_keys::Column::PrivateKey, Expr::value(value))
                .filter(signing_keys::Column::Kid.eq(row.kid.clone()))
                .filter(signing_keys::Column::PrivateKey.eq(row.private_key.clone()))
                .exec(&self.db)
                .await
                .map_err(unavailable)?;
            sealed += 1;
        }
        Ok(sealed)
    }
}

/// What a sealed private key is bound to.
fn aad(kid: &str) -> String {
    format!("signing_keys:{kid}")
}

fn decode_row(row: signing_keys::Model) -> DomainResult<SigningKey> {
    let broken = |what: &str| {
        DomainError::unavailable(std::io::Error::other(format!(
            "signing key {} has a malformed {what}",
            row.kid
        )))
    };
    let der = STANDARD
        .decode(&row.private_key)
        .map_err(|_| broken("private key"))?;
    let serde_json::Value::Object(public_jwk) = row.public_jwk.clone() else {
        return Err(broken("public JWK"));
    };
    Ok(SigningKey {
        kid: row.kid,
        algorithm: row.algorithm,
        private_key: PrivateKeyDer::new(der),
        public_jwk,
        created: row.created,
        not_after: row.not_after,
        active: row.active,
    })
}

fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

#[async_trait]
impl SigningKeyStore for SqlSigningKeyStore {
    async fn insert_if_none_active(&self, key: &SigningKey) -> DomainResult<bool> {
        match signing_keys::Entity::insert(self.to_row(key)?)
            .exec(&self.db)
            .await
        {
            Ok(_) => Ok(true),
            // Another replica's key is active already: use that one.
            Err(err) if is_unique_violation(&err) => Ok(false),
            Err(err) => Err(unavailable(err)),
        }
    }

    async fn rotate(&self, key: &SigningKey, retire_until: DateTime<Utc>) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(unavailable)?;
        signing_keys::Entity::update_many()
            .col_expr(signing_keys::Column::Active, Expr::value(false))
            .col_expr(signing_keys::Column::NotAfter, Expr::value(retire_until))
            .filter(signing_keys::Column::Active.eq(true))
            .exec(&txn)
            .await
            .map_err(unavailable)?;
        signing_keys::Entity::insert(self.to_row(key)?)
            .exec(&txn)
            .await
            .map_err(|err| {
                if is_unique_violation(&err) {
                    DomainError::Conflict("another key rotation ran at the same time; retry".into())
                } else {
                    unavailable(err)
                }
            })?;
        txn.commit().await.map_err(unavailable)
    }

    async fn verifiable(&self, now: DateTime<Utc>) -> DomainResult<Vec<SigningKey>> {
        signing_keys::Entity::find()
            .filter(
                Condition::any()
                    .add(signing_keys::Column::Active.eq(true))
                    .add(signing_keys::Column::NotAfter.gt(now)),
            )
            .order_by_desc(signing_keys::Column::Created)
            .order_by_asc(signing_keys::Column::Kid)
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(|row| self.to_domain(row))
            .collect()
    }
}
