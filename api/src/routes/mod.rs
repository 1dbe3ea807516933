//! The route table: SCIM under `/t/{tenant}/scim/v2` and `/scim/v2`, the operator admin API,
//! tenant self-service under `/t/{tenant}/admin/v1`, change events under `/t/{tenant}/events` (and RFC 8936
//! poll delivery at `/t/{tenant}/events/poll`), the web console under `/console`, and SCIM errors
//! for everything else.

pub mod admin;
pub mod console;
pub mod event_poll;
pub mod events;
pub mod fallback;
pub mod health;
pub mod metrics;
pub mod oauth;
pub mod openapi_json;
pub mod scim;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::scope("/t/{tenant}/scim/v2").configure(scim::configure))
        .service(web::scope("/scim/v2").configure(scim::configure))
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/metrics", web::get().to(metrics::metrics))
        .route("/openapi.json", web::get().to(openapi_json::openapi_json))
        .configure(events::configure)
        .configure(event_poll::configure)
        .configure(admin::configure)
        .configure(console::configure)
        .configure(oauth::configure)
        .default_service(web::to(fallback::not_found));
}
