//! The query-string inputs of SCIM reads and writes: the list parameters of a listing, and
//! the `attributes` / `excludedAttributes` that shape any answer carrying resources.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use scimgate_domain::query::list::ListParams;
use scimgate_domain::service::scim::resources::ViewParams;

use crate::error::ApiError;
use crate::extract::query::list_params;

/// Every list parameter of the query string (RFC 7644 §3.4.2).
pub struct Listing(pub ListParams);

impl FromRequest for Listing {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(list_params(req).map(Listing))
    }
}

/// `attributes` / `excludedAttributes` (RFC 7644 §3.9).
pub struct View(pub ViewParams);

impl FromRequest for View {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(list_params(req).map(|params| View(ViewParams::of(&params))))
    }
}
