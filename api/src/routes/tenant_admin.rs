//! Tenant self-service under `/t/{tenant}/admin/v1`: a bearer token of the tenant holding
//! `scim:admin` manages the tenant's own OAuth clients, tokens and trusted authorization
//! servers and reads its audit log, through the same routes, handlers and use cases as the
//! operator API.

use actix_web::web;

use crate::routes::fallback::method_not_allowed;
use crate::routes::{admin_audit, admin_clients, admin_issuers, admin_tokens};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::scope("/t/{tenant}/admin/v1").configure(|cfg| tenant_objects(cfg, "")));
}

/// A tenant's tokens, clients, trusted issuers and audit log: the collections under `{tenant_path}` (the
/// operator's `/tenants/{slug}`, nothing for a tenant admin), single objects by their id.
pub fn tenant_objects(cfg: &mut web::ServiceConfig, tenant_path: &str) {
    cfg.service(
        web::resource(format!("{tenant_path}/tokens"))
            .route(web::get().to(admin_tokens::list))
            .route(web::post().to(admin_tokens::create))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource("/tokens/{id}")
            .route(web::get().to(admin_tokens::get))
            .route(web::patch().to(admin_tokens::update))
            .route(web::delete().to(admin_tokens::revoke))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource(format!("{tenant_path}/clients"))
            .route(web::get().to(admin_clients::list))
            .route(web::post().to(admin_clients::create))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource("/clients/{client_id}")
            .route(web::get().to(admin_clients::get))
            .route(web::patch().to(admin_clients::update))
            .route(web::delete().to(admin_clients::revoke))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource(format!("{tenant_path}/trusted-issuers"))
            .route(web::get().to(admin_issuers::list))
            .route(web::post().to(admin_issuers::create))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        // Issuer ids are kept per tenant, so the tenant stays in the operator's path.
        web::resource(format!("{tenant_path}/trusted-issuers/{{id}}"))
            .route(web::delete().to(admin_issuers::delete))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource(format!("{tenant_path}/audit"))
            .route(web::get().to(admin_audit::page))
            .default_service(web::to(method_not_allowed)),
    );
}
