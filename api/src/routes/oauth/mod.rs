//! scimgate's OAuth 2.0 authorization server: the token endpoint (client credentials) and the
//! documents a resource server or client discovers it by (RFC 8414 metadata, JWKS).

mod client_auth;
mod error;
mod form;
pub(crate) mod metadata;
pub(crate) mod token;

use actix_web::web;

use crate::routes::fallback::method_not_allowed;

pub const TOKEN_PATH: &str = "/oauth/token";
pub const JWKS_PATH: &str = "/.well-known/jwks.json";
pub const METADATA_PATH: &str = "/.well-known/oauth-authorization-server";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource(TOKEN_PATH)
            .route(web::post().to(token::token))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource(JWKS_PATH)
            .route(web::get().to(metadata::jwks))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource(METADATA_PATH)
            .route(web::get().to(metadata::authorization_server))
            .default_service(web::to(method_not_allowed)),
    );
}
