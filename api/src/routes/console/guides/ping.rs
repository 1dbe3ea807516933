//! Ping Identity: PingOne's outbound SCIM provisioning connection and a provisioning rule.

use maud::{Markup, html};

use super::GuideValues;

pub fn steps(values: &GuideValues<'_>) -> Markup {
    html! {
        h2 { "In the PingOne admin console" }
        ol class="steps" {
            li { "Go to " b { "Integrations → Provisioning" } ", add a " b { "New Connection" } " of type " b { "Identity Store" } " and pick " b { "SCIM Outbound" } "." }
            li { "Under authentication enter:"
                ul {
                    li { b { "SCIM Base URL" } ": " code { (values.base_url) } }
                    li { b { "Users Resource" } ": " code { "/Users" } ", " b { "Groups Resource" } ": " code { "/Groups" } }
                    li { b { "Authentication Method" } ": " b { "OAuth 2 Bearer Token" } "; paste the token as the access token, header type " b { "Bearer" } "." }
                }
            }
            li { "Choose " b { "Test Connection" } ". In the preferences, set the user identifier to " code { "userName" } " and allow creating, updating and disabling users." }
            li { "Add a " b { "New Rule" } " for this connection: choose which users it applies to, map PingOne's username to " code { "userName" } " and email to " code { "emails" } ", and enable the rule." }
        }
        p class="muted" { "PingFederate has an outbound SCIM connector too; it takes the same base URL and bearer token." }
    }
}
