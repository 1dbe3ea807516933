//! The route table: SCIM under `/t/{tenant}/scim/v2` and `/scim/v2`, the operator admin API,
//! tenant self-service under `/t/{tenant}/admin/v1`, and SCIM errors for everything else.

pub mod admin;
pub mod admin_audit;
pub mod admin_clients;
mod admin_fields;
pub mod admin_issuers;
pub mod admin_tokens;
pub mod bulk;
pub mod discovery;
pub mod fallback;
pub mod health;
pub mod me;
pub mod metrics;
pub mod oauth;
pub mod resources;
pub mod tenant_admin;

use actix_web::web;
use scimgate_domain::resource::kind::ResourceKind;

/// SCIM endpoints, mounted once per base path.
fn scim(cfg: &mut web::ServiceConfig) {
    discovery::configure(cfg);
    me::configure(cfg);
    cfg.service(
        web::resource("/.search")
            .route(web::post().to(resources::search_all))
            .default_service(web::to(fallback::method_not_allowed)),
    );
    cfg.service(
        web::resource("/Bulk")
            .route(web::post().to(bulk::bulk))
            .default_service(web::to(fallback::method_not_allowed)),
    );
    for kind in ResourceKind::ALL {
        resources::configure(cfg, kind);
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::scope("/t/{tenant}/scim/v2").configure(scim))
        .service(web::scope("/scim/v2").configure(scim))
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/metrics", web::get().to(metrics::metrics))
        .configure(admin::configure)
        .configure(tenant_admin::configure)
        .configure(oauth::configure)
        .default_service(web::to(fallback::not_found));
}
