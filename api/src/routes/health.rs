//! `/healthz`: the process is up. Static on purpose: benchmarks use it as the baseline of
//! what the server costs without touching storage. `/readyz`: it can serve requests.

use actix_web::HttpResponse;

#[utoipa::path(
    get, path = "/healthz", tag = "Operations",
    responses((status = 200, description = "`ok`", body = String, content_type = "text/plain")),
    security(())
)]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// `/readyz`: every dependency answers. A 503 SCIM error (the failing check is logged) takes the
/// replica out of the load balancer until its database or Redis is back.
#[utoipa::path(
    get, path = "/readyz", tag = "Operations",
    responses((status = 200, description = "Every dependency answers", body = crate::openapi::service_schemas::Readiness,
        content_type = "application/json")),
    security(())
)]
pub async fn readyz(req: actix_web::HttpRequest) -> crate::error::ApiResult<HttpResponse> {
    let state = crate::extract::state::state_of(&req)?;
    let mut checks = serde_json::Map::new();
    let mut failed = Vec::new();
    for probe in &state.probes {
        let outcome = probe.check().await;
        if let Err(err) = &outcome {
            tracing::warn!(check = probe.name(), error = %err, "readiness check failed");
            failed.push(probe.name());
        }
        checks.insert(
            probe.name().into(),
            if outcome.is_ok() { "ok" } else { "unavailable" }.into(),
        );
    }
    if failed.is_empty() {
        Ok(HttpResponse::Ok().json(serde_json::json!({"status": "ready", "checks": checks})))
    } else {
        Err(
            scimgate_domain::error::DomainError::unavailable(std::io::Error::other(format!(
                "not ready: {}",
                failed.join(", ")
            )))
            .into(),
        )
    }
}
