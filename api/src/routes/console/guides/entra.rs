//! Microsoft Entra ID: a non-gallery enterprise application with automatic provisioning.

use maud::{Markup, html};

use super::GuideValues;

pub fn steps(values: &GuideValues<'_>) -> Markup {
    html! {
        h2 { "In the Microsoft Entra admin center" }
        ol class="steps" {
            li { "Go to " b { "Identity → Applications → Enterprise applications" } " and open the application for this product, or create one: " b { "New application → Create your own application" } ", choosing " i { "Integrate any other application you don't find in the gallery (Non-gallery)" } "." }
            li { "Open " b { "Provisioning" } ", set " b { "Provisioning Mode" } " to " b { "Automatic" } ", and under " b { "Admin Credentials" } " enter:"
                ul {
                    li { b { "Tenant URL" } ": " code { (values.base_url) } }
                    li { b { "Secret Token" } ": the token (without the word Bearer)." }
                }
            }
            li { "Choose " b { "Test Connection" } ", then " b { "Save" } "." }
            li { "Under " b { "Mappings" } ", keep the default user and group mappings: " code { "userPrincipalName" } " → " code { "userName" } ", " code { "mail" } " → " code { "emails[type eq \"work\"].value" } ", the account state → " code { "active" } ". scimgate accepts Entra's PATCH requests as Entra sends them (capitalised operations, \"False\" as a string)." }
            li { "Under " b { "Users and groups" } ", assign who should be provisioned; under " b { "Settings" } " keep " b { "Sync only assigned users and groups" } "." }
            li { "Set " b { "Provisioning Status" } " to " b { "On" } " and save. Entra runs a cycle about every 40 minutes; " b { "Provision on demand" } " sends one user right away." }
        }
    }
}
