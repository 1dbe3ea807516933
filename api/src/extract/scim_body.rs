//! A request's JSON body as SCIM takes it: `application/scim+json` or `application/json`
//! (415 otherwise), within the configured size (413), a JSON value (400 `invalidSyntax`).

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde_json::Value;

use crate::error::ApiError;
use crate::extract::state::state_of;
use crate::scim_json::read_json;

pub struct ScimBody(pub Value);

impl FromRequest for ScimBody {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = web::Payload::from_request(&req, payload);
        Box::pin(async move {
            let limit = state_of(&req)?.max_body_bytes;
            let payload = payload.await.map_err(|err| {
                ApiError::InvalidSyntax(format!("could not read the request body: {err}"))
            })?;
            Ok(ScimBody(read_json(&req, payload, limit).await?))
        })
    }
}
