//! The options `token update` and `client update` share: what to change on a credential.

use clap::Args;
use scimgate_domain::admin_name::AdminName;
use scimgate_domain::authz::Policy;
use scimgate_domain::oauth::client::FixedClaims;
use scimgate_domain::schema::SchemaRegistry;
use scimgate_domain::scope::Scope;
use scimgate_domain::service::admin::credential_change::CredentialChange;

use super::CliError;

#[derive(Args)]
pub struct CredentialUpdate {
    #[arg(long)]
    scopes: Option<String>,
    #[arg(long)]
    claims: Option<String>,
    #[arg(long, conflicts_with = "no_policy")]
    policy: Option<String>,
    /// Remove the policy.
    #[arg(long)]
    no_policy: bool,
    #[arg(long)]
    name: Option<String>,
}

impl CredentialUpdate {
    /// The change, each part checked as the admin API checks it; what is not named is kept.
    pub fn change(self, registry: &SchemaRegistry) -> Result<CredentialChange, CliError> {
        Ok(CredentialChange {
            name: self.name.map(AdminName::parse).transpose()?,
            scopes: self.scopes.as_deref().map(Scope::parse_list).transpose()?,
            claims: self
                .claims
                .as_deref()
                .map(FixedClaims::parse_str)
                .transpose()?,
            policy: match (self.policy, self.no_policy) {
                (Some(raw), _) => Some(Some(Policy::parse_str(&raw, registry)?)),
                (None, true) => Some(None),
                (None, false) => None,
            },
        })
    }
}
