//! Operator sessions of the console: signed in with the admin key (checked by the caller,
//! after the same per-address rate limit as link redemption), kept in the database like
//! tenant sessions but under `OPERATOR_SESSIONS`, so no tenant page accepts one; what the
//! operator does there is audited as `operator-console:<session>`.

use chrono::TimeDelta;
use uuid::Uuid;

use super::sessions::ConsoleSessions;
use crate::console::{ConsoleSession, OPERATOR_SESSIONS, TenantSecret};
use crate::error::{DomainError, DomainResult};
use crate::service::admin::context::AdminContext;

/// A live operator session and its cookie.
pub struct OperatorSession {
    pub session: ConsoleSession,
    cookie: String,
}

impl OperatorSession {
    /// The cookie value, for the answer that opens the session (and only that one).
    pub fn cookie(&self) -> &str {
        &self.cookie
    }
}

impl ConsoleSessions {
    /// Opens an operator session when `key_matches` (asked only once the client's attempt is
    /// admitted by the rate limit, so guesses are as slow as link codes). A wrong key is 401.
    #[tracing::instrument(skip_all)]
    pub async fn operator_sign_in(
        &self,
        client: &str,
        key_matches: impl FnOnce() -> bool,
    ) -> DomainResult<OperatorSession> {
        self.admit("operator", client).await?;
        if !key_matches() {
            tracing::info!("console operator sign-in refused");
            return Err(DomainError::Unauthenticated(
                "that is not the admin key".into(),
            ));
        }
        let now = self.ports.clock.now();
        let lifetime = TimeDelta::from_std(self.rules.lifetime).unwrap_or(TimeDelta::hours(8));
        let cookie =
            TenantSecret::new(OPERATOR_SESSIONS, self.ports.hasher.random_secret()).encode();
        let session = ConsoleSession {
            id: Uuid::now_v7(),
            tenant_id: OPERATOR_SESSIONS,
            secret_hash: self.ports.hasher.fingerprint(&cookie),
            link_id: Uuid::nil(),
            created: now,
            expires_at: now + lifetime,
            ended_at: None,
        };
        self.ports.store.insert_session(&session).await?;
        tracing::info!(session = %session.id, "console operator signed in");
        Ok(OperatorSession { session, cookie })
    }

    /// The live operator session `cookie` names; anything else (no cookie, a tenant's
    /// session, an ended or expired one) is 404, so operator pages stay unseen.
    pub async fn authenticate_operator(
        &self,
        cookie: Option<&str>,
    ) -> DomainResult<OperatorSession> {
        let absent = || DomainError::NotFound("no such console page".into());
        let cookie = cookie.ok_or_else(absent)?;
        let presented = TenantSecret::parse(cookie).map_err(|_| absent())?;
        if presented.tenant_id != OPERATOR_SESSIONS {
            return Err(absent());
        }
        let session = self
            .ports
            .store
            .find_session(OPERATOR_SESSIONS, &self.ports.hasher.fingerprint(cookie))
            .await?
            .filter(|s| s.is_live(self.ports.clock.now()))
            .ok_or_else(absent)?;
        Ok(OperatorSession {
            session,
            cookie: cookie.to_owned(),
        })
    }

    pub fn operator_csrf_token(&self, operator: &OperatorSession) -> String {
        self.csrf_of(&operator.cookie)
    }

    /// 403 unless `presented` is the operator session's CSRF token.
    pub fn check_operator_csrf(
        &self,
        operator: &OperatorSession,
        presented: Option<&str>,
    ) -> DomainResult<()> {
        self.check_csrf_of(&operator.cookie, presented)
    }

    /// The session as the operator of the admin use cases, audited as the session.
    pub fn operator_context(
        &self,
        operator: &OperatorSession,
        request_id: Option<String>,
    ) -> AdminContext {
        AdminContext::operator_as(operator.session.actor(), request_id)
    }

    /// Ends the operator session (sign-out).
    pub async fn end_operator(&self, operator: &OperatorSession) -> DomainResult<()> {
        self.ports
            .store
            .end_session(
                OPERATOR_SESSIONS,
                operator.session.id,
                self.ports.clock.now(),
            )
            .await
    }
}
