//! JumpCloud: a custom SSO application with Identity Management (SCIM 2.0) turned on.

use maud::{Markup, html};

use super::GuideValues;

pub fn steps(values: &GuideValues<'_>) -> Markup {
    html! {
        h2 { "In the JumpCloud Admin Portal" }
        ol class="steps" {
            li { "Go to " b { "SSO Applications" } " and open the application for this product, or add one with " b { "+ Add New Application → Custom Application" } ", choosing to " b { "Export users to this app (Identity Management)" } "." }
            li { "On the application's " b { "Identity Management" } " tab enter:"
                ul {
                    li { b { "API Type" } ": " b { "SCIM API" } ", " b { "SCIM Version" } ": " b { "SCIM 2.0" } }
                    li { b { "Base URL" } ": " code { (values.base_url) } }
                    li { b { "Token Key" } ": the token." }
                }
            }
            li { "Choose " b { "Test Connection" } ", then " b { "Activate" } " and save." }
            li { "Bind user groups on the " b { "User Groups" } " tab: their members are provisioned, and with group management on, the groups too." }
        }
    }
}
