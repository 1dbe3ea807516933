//! The application state as an extractor, so a handler names it in its signature instead of
//! looking it up.

use std::future::{Ready, ready};
use std::ops::Deref;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use scimgate_domain::error::DomainError;

use crate::error::ApiError;
use crate::state::{AppState, SharedState};

/// The shared [`AppState`]; dereferences to it.
pub struct State(pub SharedState);

impl Deref for State {
    type Target = AppState;

    fn deref(&self) -> &AppState {
        &self.0
    }
}

impl FromRequest for State {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(state_of(req).map(State))
    }
}

/// The state registered with the app; missing only if the app was built without it, which
/// is a deployment fault (503), not the client's.
pub fn state_of(req: &HttpRequest) -> Result<SharedState, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .map(|data| data.clone().into_inner())
        .ok_or_else(|| {
            DomainError::unavailable(std::io::Error::other("application state missing")).into()
        })
}
