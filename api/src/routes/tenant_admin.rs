//! Tenant self-service under `/t/{tenant}/admin/v1`: a bearer token of the tenant holding
//! `scim:admin` manages the tenant's own OAuth clients and tokens and reads its audit log,
//! through the same handlers (and use cases) as the operator API.

use actix_web::web;

use crate::routes::fallback::method_not_allowed;
use crate::routes::{admin_audit, admin_clients, admin_tokens};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/t/{tenant}/admin/v1")
            .service(
                web::resource("/tokens")
                    .route(web::get().to(admin_tokens::list))
                    .route(web::post().to(admin_tokens::create))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/tokens/{id}")
                    .route(web::delete().to(admin_tokens::revoke))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/clients")
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
                web::resource("/audit")
                    .route(web::get().to(admin_audit::page))
                    .default_service(web::to(method_not_allowed)),
            ),
    );
}
