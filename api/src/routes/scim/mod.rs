//! The SCIM endpoints (RFC 7644), mounted once per base path: `/t/{tenant}/scim/v2` and
//! `/scim/v2` (tenant taken from the token).

pub mod bulk;
pub mod discovery;
pub mod me;
pub mod resources;

use actix_web::web;
use scimgate_domain::schema::kind::ResourceKind;

use crate::routes::fallback;

/// SCIM endpoints, mounted once per base path.
pub fn configure(cfg: &mut web::ServiceConfig) {
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
