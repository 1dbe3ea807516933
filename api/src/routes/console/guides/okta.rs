//! Okta: a custom app integration with SCIM provisioning and header (bearer) authentication.

use maud::{Markup, html};

use super::GuideValues;

pub fn steps(values: &GuideValues<'_>) -> Markup {
    html! {
        h2 { "In the Okta Admin Console" }
        ol class="steps" {
            li { "Go to " b { "Applications → Applications" } " and open your app integration for this product (or create one with " b { "Create App Integration" } ")." }
            li { "On the " b { "General" } " tab, under " b { "App Settings" } ", choose " b { "Edit" } ", set " b { "Provisioning" } " to " b { "SCIM" } " and save. A " b { "Provisioning" } " tab appears." }
            li { "On " b { "Provisioning → Integration" } ", choose " b { "Edit" } " and enter:"
                ul {
                    li { b { "SCIM connector base URL" } ": " code { (values.base_url) } }
                    li { b { "Unique identifier field for users" } ": " code { "userName" } }
                    li { b { "Supported provisioning actions" } ": Push New Users, Push Profile Updates, Push Groups (and Import New Users and Profile Updates if you want Okta to read existing users)." }
                    li { b { "Authentication Mode" } ": " b { "HTTP Header" } "; paste the token into the " b { "Authorization" } " (Bearer) field." }
                }
            }
            li { "Choose " b { "Test Connector Configuration" } ", then " b { "Save" } "." }
            li { "On " b { "Provisioning → To App" } ", enable " b { "Create Users" } ", " b { "Update User Attributes" } " and " b { "Deactivate Users" } "." }
            li { "Assign people on the " b { "Assignments" } " tab; send groups from the " b { "Push Groups" } " tab." }
        }
    }
}
