//! OneLogin: the "SCIM Provisioner with SAML (SCIM v2 Enterprise)" connector.

use maud::{Markup, html};

use super::GuideValues;

pub fn steps(values: &GuideValues<'_>) -> Markup {
    html! {
        h2 { "In the OneLogin administration" }
        ol class="steps" {
            li { "Go to " b { "Applications → Applications → Add App" } ", search for " b { "SCIM Provisioner with SAML (SCIM v2 Enterprise)" } ", and save it." }
            li { "On the " b { "Configuration" } " tab enter:"
                ul {
                    li { b { "SCIM Base URL" } ": " code { (values.base_url) } }
                    li { b { "SCIM Bearer Token" } ": the token." }
                    li { b { "SCIM JSON Template" } ": keep the default; it sends " code { "userName" } ", " code { "name" } " and " code { "emails" } "." }
                }
            }
            li { "Under " b { "API Connection" } ", choose " b { "Enable" } "; the status turns to Enabled when OneLogin reached scimgate." }
            li { "On the " b { "Provisioning" } " tab, check " b { "Enable provisioning" } " and choose what happens when users are deleted or suspended (" b { "Suspend" } " sends " code { "active: false" } ")." }
            li { "Assign users on the " b { "Users" } " tab; send groups with " b { "Parameters → Groups" } " and rules." }
        }
    }
}
