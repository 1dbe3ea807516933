//! An admin API body as the typed input its handler takes: read like any SCIM body (media
//! type, size, JSON), then deserialised strictly, so an unknown or mistyped field is a 400
//! `invalidSyntax` naming it.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::extract::scim_body::ScimBody;

pub struct AdminJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for AdminJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = ScimBody::from_request(req, payload);
        Box::pin(async move {
            let ScimBody(value) = body.await?;
            serde_json::from_value(value)
                .map(AdminJson)
                .map_err(|err| ApiError::InvalidSyntax(format!("invalid request: {err}")))
        })
    }
}
