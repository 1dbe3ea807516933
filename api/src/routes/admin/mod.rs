//! The admin API, mounted twice over the same handlers and use cases: the operator's under
//! `/admin/v1` (guarded by `SCIMGATE_ADMIN_KEY`; tenants, and each tenant's objects under
//! `/tenants/{slug}`), and tenant self-service under `/t/{tenant}/admin/v1`, where a bearer token
//! of the tenant holding `scim:admin` manages the tenant's own tokens, OAuth clients and trusted
//! authorization servers, webhook endpoints, console setup links and lifecycle policy (with the
//! archive of soft-deleted resources), and reads its audit log. JSON in and out.

pub(crate) mod audit;
mod body;
pub(crate) mod clients;
mod fields;
pub(crate) mod issuers;
pub(crate) mod lifecycle;
pub(crate) mod setup_links;
pub(crate) mod tenants;
pub(crate) mod tokens;
pub(crate) mod webhooks;

use actix_web::web;

use crate::routes::fallback::method_not_allowed;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::scope("/t/{tenant}/admin/v1").configure(|cfg| tenant_objects(cfg, "")));
    cfg.service(
        web::scope("/admin/v1")
            .service(
                web::resource("/tenants")
                    .route(web::get().to(tenants::list_tenants))
                    .route(web::post().to(tenants::create_tenant))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/tenants/{slug}")
                    .route(web::get().to(tenants::get_tenant))
                    .default_service(web::to(method_not_allowed)),
            )
            .configure(|cfg| tenant_objects(cfg, "/tenants/{slug}")),
    );
}

/// A tenant's tokens, clients, trusted issuers and audit log: the collections under `{tenant_path}` (the
/// operator's `/tenants/{slug}`, nothing for a tenant admin), single objects by their id.
fn tenant_objects(cfg: &mut web::ServiceConfig, tenant_path: &str) {
    cfg.service(
        web::resource(format!("{tenant_path}/tokens"))
            .route(web::get().to(tokens::list))
            .route(web::post().to(tokens::create))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource("/tokens/{id}")
            .route(web::get().to(tokens::get))
            .route(web::patch().to(tokens::update))
            .route(web::delete().to(tokens::revoke))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource("/tokens/{id}/rotate")
            .route(web::post().to(tokens::rotate))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource(format!("{tenant_path}/clients"))
            .route(web::get().to(clients::list))
            .route(web::post().to(clients::create))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource("/clients/{client_id}")
            .route(web::get().to(clients::get))
            .route(web::patch().to(clients::update))
            .route(web::delete().to(clients::revoke))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource(format!("{tenant_path}/trusted-issuers"))
            .route(web::get().to(issuers::list))
            .route(web::post().to(issuers::create))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        // Issuer ids are kept per tenant, so the tenant stays in the operator's path.
        web::resource(format!("{tenant_path}/trusted-issuers/{{id}}"))
            .route(web::delete().to(issuers::delete))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource(format!("{tenant_path}/audit"))
            .route(web::get().to(audit::page))
            .default_service(web::to(method_not_allowed)),
    );
    webhook_routes(cfg, tenant_path);
    setup_link_routes(cfg, tenant_path);
    lifecycle_routes(cfg, tenant_path);
}

/// A tenant's lifecycle policy and archive of soft-deleted resources; archived ids are kept
/// per tenant, so the tenant stays in the path.
fn lifecycle_routes(cfg: &mut web::ServiceConfig, tenant_path: &str) {
    cfg.service(
        web::resource(format!("{tenant_path}/lifecycle"))
            .route(web::get().to(lifecycle::get_policy))
            .route(web::put().to(lifecycle::set_policy))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource(format!("{tenant_path}/archive"))
            .route(web::get().to(lifecycle::archive))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource(format!("{tenant_path}/archive/{{id}}/restore"))
            .route(web::post().to(lifecycle::restore))
            .default_service(web::to(method_not_allowed)),
    );
}

/// A tenant's console setup links; ids are kept per tenant, so the tenant stays in the path.
fn setup_link_routes(cfg: &mut web::ServiceConfig, tenant_path: &str) {
    cfg.service(
        web::resource(format!("{tenant_path}/setup-links"))
            .route(web::get().to(setup_links::list))
            .route(web::post().to(setup_links::create))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource(format!("{tenant_path}/setup-links/{{id}}"))
            .route(web::delete().to(setup_links::revoke))
            .default_service(web::to(method_not_allowed)),
    );
}

/// A tenant's webhook endpoints; ids are kept per tenant, so the tenant stays in the path.
fn webhook_routes(cfg: &mut web::ServiceConfig, tenant_path: &str) {
    cfg.service(
        web::resource(format!("{tenant_path}/webhooks"))
            .route(web::get().to(webhooks::list))
            .route(web::post().to(webhooks::create))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource(format!("{tenant_path}/webhooks/{{id}}"))
            .route(web::get().to(webhooks::get))
            .route(web::patch().to(webhooks::update))
            .route(web::delete().to(webhooks::delete))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource(format!("{tenant_path}/webhooks/{{id}}/rotate-secret"))
            .route(web::post().to(webhooks::rotate_secret))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource(format!("{tenant_path}/webhooks/{{id}}/deliveries"))
            .route(web::get().to(webhooks::deliveries))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource(format!("{tenant_path}/webhooks/{{id}}/replay"))
            .route(web::post().to(webhooks::replay))
            .default_service(web::to(method_not_allowed)),
    );
}
